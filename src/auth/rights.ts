// What a client may do, apart from who it is: from its config entry, or from the Autorisaties API.
// One ClientRights object per answer, shared by every principal built from it (so the authenticator
// can tell by identity whether a cached principal still carries the current rights).
import { SCOPES, type Scope } from './scopes.ts';

export interface ClientRights {
  heeftAlleAutorisaties: boolean;
  scopes: ReadonlySet<Scope>;
  /** '*' or the sorted scopes: see Principal.rightsKey. */
  rightsKey: string;
  /** The applicatie's label in the Autorisaties API ('' for rights from config). */
  label: string;
  /** The Autorisaties API could not be asked and no answer of it is recent enough to use. */
  unavailable: boolean;
}

export function clientRights(heeftAlleAutorisaties: boolean, scopes: Iterable<Scope>, label = ''): ClientRights {
  const set = new Set<Scope>(heeftAlleAutorisaties ? SCOPES : scopes);
  return Object.freeze({
    heeftAlleAutorisaties,
    scopes: readonlySet(set),
    rightsKey: heeftAlleAutorisaties ? '*' : [...set].sort().join(' '),
    label,
    unavailable: false,
  });
}

/** Every scope check of a principal with these rights answers 403 `rights_unavailable`. */
export const RIGHTS_UNAVAILABLE: ClientRights = Object.freeze({
  heeftAlleAutorisaties: false,
  scopes: readonlySet(new Set<Scope>()),
  rightsKey: '',
  label: '',
  unavailable: true,
});

/** Whether two answers grant the same (so principals built from the older one stay valid). */
export function sameRights(a: ClientRights, b: ClientRights): boolean {
  return a.rightsKey === b.rightsKey && a.label === b.label && a.unavailable === b.unavailable;
}

/** A Set that cannot be changed through the principal (principals are shared by the token cache). */
function readonlySet<T>(set: Set<T>): ReadonlySet<T> {
  const frozen = new Set(set);
  const refuse = (): never => {
    throw new TypeError('principal scopes are read-only');
  };
  frozen.add = refuse;
  frozen.delete = refuse;
  frozen.clear = refuse;
  return Object.freeze(frozen);
}
