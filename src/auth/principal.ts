// Who is calling: the verified client (from config) plus the end user named in the token.
import { ApiError } from '../http/problem.ts';
import type { Scope } from './scopes.ts';

export interface Principal {
  clientId: string;
  /** `user_id` claim ('' when absent): audit gebruikersId. */
  userId: string;
  /** `user_representation` claim ('' when absent): audit gebruikersWeergave. */
  userRepresentation: string;
  /** The client's display name from config: audit applicatieWeergave. */
  applicatieWeergave: string;
  heeftAlleAutorisaties: boolean;
  scopes: ReadonlySet<Scope>;
  /**
   * Identifies the client's rights ('*' or the sorted scopes): part of any cache key whose bytes
   * depend on rights, so cached output never crosses clients whose rights differ.
   */
  rightsKey: string;
}

export function hasScope(principal: Principal, scope: Scope): boolean {
  return principal.heeftAlleAutorisaties || principal.scopes.has(scope);
}

/** Throws 403 `permission_denied` unless the principal holds `scope`. */
export function requireScope(principal: Principal, scope: Scope): void {
  if (!hasScope(principal, scope)) throw ApiError.forbidden(`Deze actie vereist de scope ${scope}.`);
}
