// Who is calling: the verified client (from config) plus the end user named in the token, with the
// client's rights (from config or the Autorisaties API).
import { ApiError } from '../http/problem.ts';
import type { Scope } from './scopes.ts';

export interface Principal {
  clientId: string;
  /** `user_id` claim ('' when absent): audit gebruikersId. */
  userId: string;
  /** `user_representation` claim ('' when absent): audit gebruikersWeergave. */
  userRepresentation: string;
  /** The client's display name (config, else the Autorisaties API label): audit applicatieWeergave. */
  applicatieWeergave: string;
  heeftAlleAutorisaties: boolean;
  scopes: ReadonlySet<Scope>;
  /**
   * Identifies the client's rights ('*' or the sorted scopes): part of any cache key whose bytes
   * depend on rights, so cached output never crosses clients whose rights differ.
   */
  rightsKey: string;
  /** The Autorisaties API could not tell this client's rights: every scope check is a 403 `rights_unavailable`. */
  rightsUnavailable?: boolean;
}

export function hasScope(principal: Principal, scope: Scope): boolean {
  return principal.heeftAlleAutorisaties || principal.scopes.has(scope);
}

/** Throws 403 `permission_denied` (or `rights_unavailable`) unless the principal holds `scope`. */
export function requireScope(principal: Principal, scope: Scope): void {
  if (hasScope(principal, scope)) return;
  if (principal.rightsUnavailable === true) throw rightsUnavailable();
  throw ApiError.forbidden(`Deze actie vereist de scope ${scope}.`);
}

function rightsUnavailable(): ApiError {
  return new ApiError({
    status: 403,
    code: 'rights_unavailable',
    title: 'Je hebt geen toestemming om deze actie uit te voeren.',
    detail: 'De autorisaties van deze applicatie konden niet worden opgehaald bij de Autorisaties API; probeer het later opnieuw.',
  });
}
