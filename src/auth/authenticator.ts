// JWT-ZGW authentication: `Authorization: Bearer <jwt>`, HS256, signed with the secret of the
// client named in the `client_id` claim. Pure and synchronous (no Express) so it is cheap to test
// and to call on the hot path: keys are built once per client, and verified tokens are kept in a
// bounded LRU (exact token → principal) until they expire, because one HMAC verification costs
// more than serving a cached representation.
import type { KeyObject } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { AuthConfig, ClientConfig } from '../config/schema.ts';
import { ApiError } from '../http/problem.ts';
import { decodeJwt, hmacKey, signatureMatches } from './jwt.ts';
import type { Principal } from './principal.ts';
import { SCOPES } from './scopes.ts';
import type { Scope } from './scopes.ts';

/** Why a request was not authenticated; each is the `code` of its 401 problem. */
export const AUTH_FAILURES = {
  not_authenticated: 'Geef een JWT-ZGW token mee in de Authorization header (Bearer <token>).',
  malformed_token: 'Het token is geen geldige JWT.',
  unsupported_algorithm: 'Alleen met HS256 ondertekende tokens worden geaccepteerd.',
  missing_client_id: 'Het token bevat geen client_id claim.',
  unknown_client: 'De client_id van het token is niet bekend.',
  bad_signature: 'De handtekening van het token is ongeldig.',
  missing_iat: 'Het token bevat geen (numerieke) iat claim.',
  iat_in_future: 'De iat claim van het token ligt in de toekomst.',
  token_not_yet_valid: 'Het token is nog niet geldig (nbf).',
  token_expired: 'Het token is verlopen.',
  token_too_old: 'Het token is ouder dan toegestaan (iat).',
} as const;

export type AuthFailureCode = keyof typeof AUTH_FAILURES;

export type AuthResult =
  | { ok: true; principal: Principal }
  | { ok: false; code: AuthFailureCode; error: ApiError };

export interface AuthenticatorStats {
  /** Tokens served from the verified-token cache. */
  cacheHits: number;
  /** Signature verifications performed (successful or not). */
  verifications: number;
}

export interface Authenticator {
  authenticate(authorization: string | undefined): AuthResult;
  stats(): AuthenticatorStats;
}

export interface AuthenticatorOptions {
  /** Clock in milliseconds; default Date.now. */
  now?: () => number;
}

/** Longer Authorization values are refused without parsing (and never cached). */
const MAX_TOKEN_LENGTH = 8192;

interface ClientEntry {
  key: KeyObject;
  config: ClientConfig;
  scopes: ReadonlySet<Scope>;
  rightsKey: string;
}

interface CachedToken {
  principal: Principal;
  /** Epoch ms after which the token must be re-checked (exp / max age, plus leeway). */
  validUntil: number;
}

export function createAuthenticator(cfg: AuthConfig, opts: AuthenticatorOptions = {}): Authenticator {
  const now = opts.now ?? Date.now;
  const leewayMs = cfg.leewaySeconds * 1000;
  const maxAgeMs = cfg.maxTokenAgeSeconds === undefined ? undefined : cfg.maxTokenAgeSeconds * 1000;
  const clients = new Map<string, ClientEntry>(cfg.clients.map((c) => [c.clientId, clientEntry(c)]));
  const cache = cfg.tokenCacheSize > 0 ? new LRUCache<string, CachedToken>({ max: cfg.tokenCacheSize }) : null;
  const stats: AuthenticatorStats = { cacheHits: 0, verifications: 0 };

  function authenticate(authorization: string | undefined): AuthResult {
    const token = bearerToken(authorization);
    if (token === null) return fail('not_authenticated');
    if (token === '' || token.length > MAX_TOKEN_LENGTH) return fail('malformed_token');

    const t = now();
    const cached = cache?.get(token);
    if (cached !== undefined) {
      if (t < cached.validUntil) {
        stats.cacheHits++;
        return { ok: true, principal: cached.principal };
      }
      cache?.delete(token);
    }

    const result = verify(token, t);
    if (result.ok && cache !== null) cache.set(token, result);
    return result.ok ? { ok: true, principal: result.principal } : result;
  }

  function verify(token: string, t: number): (CachedToken & { ok: true }) | Extract<AuthResult, { ok: false }> {
    const jwt = decodeJwt(token);
    if (jwt === null) return fail('malformed_token');
    // Only HS256; `none`, RS256 (and with it the HS/RS key-confusion trick) and anything else are refused,
    // as are critical header extensions we do not understand.
    if (jwt.header['alg'] !== 'HS256') return fail('unsupported_algorithm');
    if (jwt.header['crit'] !== undefined) return fail('malformed_token');

    const claims = jwt.payload;
    const clientId = claims['client_id'];
    if (typeof clientId !== 'string' || clientId === '') return fail('missing_client_id');
    const client = clients.get(clientId);
    if (client === undefined) return fail('unknown_client');

    stats.verifications++;
    if (!signatureMatches(client.key, jwt)) return fail('bad_signature');

    const iat = claims['iat'];
    if (typeof iat !== 'number' || !Number.isFinite(iat)) return fail('missing_iat');
    const iatMs = iat * 1000;
    if (iatMs > t + leewayMs) return fail('iat_in_future');

    let validUntil = Number.POSITIVE_INFINITY;
    const exp = claims['exp'];
    if (exp !== undefined) {
      if (typeof exp !== 'number' || !Number.isFinite(exp)) return fail('malformed_token');
      validUntil = exp * 1000 + leewayMs;
      if (t >= validUntil) return fail('token_expired');
    }
    const nbf = claims['nbf'];
    if (nbf !== undefined) {
      if (typeof nbf !== 'number' || !Number.isFinite(nbf)) return fail('malformed_token');
      if (nbf * 1000 > t + leewayMs) return fail('token_not_yet_valid');
    }
    if (maxAgeMs !== undefined) {
      const oldestUntil = iatMs + maxAgeMs + leewayMs;
      if (t >= oldestUntil) return fail('token_too_old');
      validUntil = Math.min(validUntil, oldestUntil);
    }

    const principal: Principal = Object.freeze({
      clientId,
      userId: text(claims['user_id']),
      userRepresentation: text(claims['user_representation']),
      applicatieWeergave: client.config.applicatieWeergave,
      heeftAlleAutorisaties: client.config.heeftAlleAutorisaties,
      scopes: client.scopes,
      rightsKey: client.rightsKey,
    });
    return { ok: true, principal, validUntil };
  }

  return {
    authenticate,
    stats: () => ({ ...stats }),
  };
}

function clientEntry(config: ClientConfig): ClientEntry {
  const scopes = new Set<Scope>(config.heeftAlleAutorisaties ? SCOPES : config.scopes);
  const rightsKey = config.heeftAlleAutorisaties ? '*' : [...scopes].sort().join(' ');
  return { key: hmacKey(config.secret), config, scopes: readonlySet(scopes), rightsKey };
}

/** A Set that cannot be changed through the principal (principals are shared by the cache). */
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

/** The token of a `Bearer` Authorization value; null when there is none (missing header or other scheme). */
function bearerToken(authorization: string | undefined): string | null {
  if (authorization === undefined) return null;
  const space = authorization.indexOf(' ');
  if (space === -1 || authorization.slice(0, space).toLowerCase() !== 'bearer') return null;
  return authorization.slice(space + 1).trim();
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return '';
}

function fail(code: AuthFailureCode): Extract<AuthResult, { ok: false }> {
  return { ok: false, code, error: ApiError.unauthorized(code, AUTH_FAILURES[code]) };
}
