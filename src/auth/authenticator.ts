// JWT-ZGW authentication: `Authorization: Bearer <jwt>`, HS256, signed with the secret of the
// client named in the `client_id` claim. Pure (no Express) and synchronous on the hot path, so it is
// cheap to test and to call there: keys are built once per client, and verified tokens are kept in a
// bounded LRU (exact token → principal) until they expire, because one HMAC verification costs
// more than serving a cached representation.
//
// Rights: a client's scopes come from its config entry; with `autorisatiesApi` configured, a client
// whose entry names no rights (no scopes, heeftAlleAutorisaties false) gets them from the
// Autorisaties API instead (autorisaties-rights.ts, cached). Secrets always come from config: the
// AC knows what a client may do, not its secret. A cached token keeps its principal only as long as
// the rights it was built from are current.
import type { KeyObject } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type { AuthConfig, ClientConfig } from '../config/schema.ts';
import { ApiError } from '../http/problem.ts';
import { autorisatiesRights, type AutorisatiesRights, type AutorisatiesStats } from './autorisaties-rights.ts';
import { decodeJwt, hmacKey, signatureMatches } from './jwt.ts';
import type { Principal } from './principal.ts';
import { clientRights, type ClientRights } from './rights.ts';

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

/**
 * Not a refusal: the token is valid but the client's rights must first be fetched from the
 * Autorisaties API, which only resolve() waits for. authenticate() answers this so that callers that
 * cannot wait (the cache fast path) hand the request on; should it ever reach a consumer it is a 503.
 */
export const RIGHTS_PENDING = 'rights_pending';

export type AuthFailureCode = keyof typeof AUTH_FAILURES;

export type AuthResult =
  | { ok: true; principal: Principal }
  | { ok: false; code: AuthFailureCode | typeof RIGHTS_PENDING; error: ApiError };

export interface AuthenticatorStats {
  /** Tokens served from the verified-token cache. */
  cacheHits: number;
  /** Signature verifications performed (successful or not). */
  verifications: number;
  /** Autorisaties API lookups, when it is configured. */
  autorisaties?: AutorisatiesStats;
}

export interface Authenticator {
  /** Synchronous: answers `rights_pending` for a client whose rights must first come from the Autorisaties API. */
  authenticate(authorization: string | undefined): AuthResult;
  /** Like authenticate(), but waits for the Autorisaties API when it must (a promise only then). */
  resolve(authorization: string | undefined): AuthResult | Promise<AuthResult>;
  stats(): AuthenticatorStats;
  /** Stops Autorisaties API lookups in flight. */
  close(): void;
}

export interface AuthenticatorOptions {
  /** Clock in milliseconds; default Date.now. */
  now?: () => number;
  /** Rights from the Autorisaties API; default: built from cfg.autorisatiesApi when that is set. */
  autorisaties?: AutorisatiesRights;
  /** Where Autorisaties API trouble is logged. */
  logger?: Logger;
}

/** Longer Authorization values are refused without parsing (and never cached). */
const MAX_TOKEN_LENGTH = 8192;

interface ClientEntry {
  key: KeyObject;
  config: ClientConfig;
  /** Rights from config; undefined = from the Autorisaties API. */
  rights: ClientRights | undefined;
}

interface CachedToken {
  client: ClientEntry;
  userId: string;
  userRepresentation: string;
  /** Epoch ms after which the token must be re-checked (exp / max age, plus leeway). */
  validUntil: number;
  /** The principal last built for this token (undefined before the first), valid while its rights are current. */
  principal: Principal | undefined;
  rights: ClientRights | undefined;
}

export function createAuthenticator(cfg: AuthConfig, opts: AuthenticatorOptions = {}): Authenticator {
  const now = opts.now ?? Date.now;
  const leewayMs = cfg.leewaySeconds * 1000;
  const maxAgeMs = cfg.maxTokenAgeSeconds === undefined ? undefined : cfg.maxTokenAgeSeconds * 1000;
  const fromAc = cfg.autorisatiesApi !== undefined;
  const clients = new Map<string, ClientEntry>(cfg.clients.map((c) => [c.clientId, clientEntry(c, fromAc)]));
  const cache = cfg.tokenCacheSize > 0 ? new LRUCache<string, CachedToken>({ max: cfg.tokenCacheSize }) : null;
  const stats: AuthenticatorStats = { cacheHits: 0, verifications: 0 };
  const ac =
    opts.autorisaties ??
    (cfg.autorisatiesApi !== undefined && [...clients.values()].some((c) => c.rights === undefined)
      ? autorisatiesRights(cfg.autorisatiesApi, opts.logger)
      : undefined);

  // The last Authorization value that verified, exactly as received, and its token. WHY: a client
  // keeps sending one header string, and on a cache hit parsing it (slice, lower-case, trim) and the
  // LRU lookup (which also reorders) were ~0.25 µs of a ~1.3 µs fast-path hit (cpu profile under
  // wrk). Same answer as the LRU: the entry is served only while valid, and only when caching is on.
  let lastAuthorization: string | undefined;
  let lastToken: CachedToken | undefined;

  /** The verified token (from the cache or checked now), or why not. */
  function check(authorization: string | undefined): CachedToken | Extract<AuthResult, { ok: false }> {
    if (authorization === lastAuthorization && lastToken !== undefined) {
      if (now() < lastToken.validUntil) {
        stats.cacheHits++;
        return lastToken;
      }
      lastToken = undefined;
    }
    const verified = checkToken(authorization);
    if (cache !== null && 'client' in verified) {
      lastAuthorization = authorization;
      lastToken = verified;
    }
    return verified;
  }

  function checkToken(authorization: string | undefined): CachedToken | Extract<AuthResult, { ok: false }> {
    const token = bearerToken(authorization);
    if (token === null) return fail('not_authenticated');
    if (token === '' || token.length > MAX_TOKEN_LENGTH) return fail('malformed_token');

    const t = now();
    const cached = cache?.get(token);
    if (cached !== undefined) {
      if (t < cached.validUntil) {
        stats.cacheHits++;
        return cached;
      }
      cache?.delete(token);
    }

    const result = verify(token, t);
    if (!('client' in result)) return result;
    if (cache !== null) cache.set(token, result);
    return result;
  }

  /** The client's rights now, or undefined when they must first be fetched. */
  function rightsNow(client: ClientEntry): ClientRights | undefined {
    return client.rights ?? ac?.peek(client.config.clientId);
  }

  function authenticate(authorization: string | undefined): AuthResult {
    const verified = check(authorization);
    if (!('client' in verified)) return verified;
    const rights = rightsNow(verified.client);
    if (rights === undefined) return pending();
    return { ok: true, principal: principalOf(verified, rights) };
  }

  function resolve(authorization: string | undefined): AuthResult | Promise<AuthResult> {
    const verified = check(authorization);
    if (!('client' in verified)) return verified;
    const rights = rightsNow(verified.client);
    if (rights !== undefined) return { ok: true, principal: principalOf(verified, rights) };
    if (ac === undefined) return pending(); // cannot happen: such clients exist only with an AC
    return ac.resolve(verified.client.config.clientId).then((r) => ({ ok: true, principal: principalOf(verified, r) }));
  }

  function verify(token: string, t: number): CachedToken | Extract<AuthResult, { ok: false }> {
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

    return {
      client,
      userId: text(claims['user_id']),
      userRepresentation: text(claims['user_representation']),
      validUntil,
      principal: undefined,
      rights: undefined,
    };
  }

  return {
    authenticate,
    resolve,
    stats: () => ({ ...stats, ...(ac !== undefined ? { autorisaties: ac.stats() } : {}) }),
    close: () => ac?.close(),
  };
}

/** The token's principal with `rights`; built again only when the rights changed. */
function principalOf(token: CachedToken, rights: ClientRights): Principal {
  if (token.principal !== undefined && token.rights === rights) return token.principal;
  const config = token.client.config;
  const principal: Principal = Object.freeze({
    clientId: config.clientId,
    userId: token.userId,
    userRepresentation: token.userRepresentation,
    applicatieWeergave: config.applicatieWeergave !== '' ? config.applicatieWeergave : rights.label,
    heeftAlleAutorisaties: rights.heeftAlleAutorisaties,
    scopes: rights.scopes,
    rightsKey: rights.rightsKey,
    ...(rights.unavailable ? { rightsUnavailable: true } : {}),
  });
  token.principal = principal;
  token.rights = rights;
  return principal;
}

/** With an Autorisaties API, a client whose config names no rights gets them from there. */
function clientEntry(config: ClientConfig, fromAc: boolean): ClientEntry {
  const configured = config.heeftAlleAutorisaties || config.scopes.length > 0;
  const rights = fromAc && !configured ? undefined : clientRights(config.heeftAlleAutorisaties, config.scopes);
  return { key: hmacKey(config.secret), config, rights };
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

function pending(): Extract<AuthResult, { ok: false }> {
  return { ok: false, code: RIGHTS_PENDING, error: ApiError.serviceUnavailable(1) };
}
