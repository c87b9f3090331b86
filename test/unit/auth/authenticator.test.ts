import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../../src/auth/authenticator.ts';
import type { AuthResult } from '../../../src/auth/authenticator.ts';
import { signToken } from '../../../src/auth/jwt.ts';
import { hasScope, requireScope } from '../../../src/auth/principal.ts';
import type { Principal } from '../../../src/auth/principal.ts';
import type { AuthConfig } from '../../../src/config/schema.ts';
import { ApiError } from '../../../src/http/problem.ts';

const SECRET = 'zaaksysteem-secret';
const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const sec = (ms: number) => Math.floor(ms / 1000);

function authConfig(overrides: Partial<AuthConfig> = {}): AuthConfig {
  return {
    clients: [
      {
        clientId: 'zaaksysteem',
        secret: SECRET,
        scopes: ['klanten.lezen'],
        heeftAlleAutorisaties: false,
        applicatieWeergave: 'Zaaksysteem',
      },
      { clientId: 'beheer', secret: 'beheer-secret', scopes: [], heeftAlleAutorisaties: true, applicatieWeergave: 'Beheer' },
    ],
    leewaySeconds: 60,
    tokenCacheSize: 100,
    ...overrides,
  };
}

function setup(overrides: Partial<AuthConfig> = {}) {
  let now = T0;
  const auth = createAuthenticator(authConfig(overrides), { now: () => now });
  return {
    auth,
    check: (token: string) => auth.authenticate(`Bearer ${token}`),
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const token = (claims: Record<string, unknown> = {}, clientId = 'zaaksysteem', secret = SECRET) =>
  signToken(clientId, secret, { iat: sec(T0), ...claims });

/** A token with an arbitrary header, HMAC-signed with `secret` (what an attacker can build). */
function handMade(header: Record<string, unknown>, payload: Record<string, unknown>, secret = SECRET): string {
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const input = `${enc(header)}.${enc(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

function failure(result: AuthResult): string {
  if (result.ok) throw new Error('expected an authentication failure');
  expect(result.error).toBeInstanceOf(ApiError);
  expect(result.error.status).toBe(401);
  expect(result.error.code).toBe(result.code);
  return result.code;
}

function principal(result: AuthResult): Principal {
  if (!result.ok) throw new Error(`expected success, got ${result.code}`);
  return result.principal;
}

describe('createAuthenticator', () => {
  it('accepts a valid token and builds the principal from claims and client config', () => {
    const { check } = setup();
    const p = principal(check(token({ user_id: 'u123', user_representation: 'Jan Medewerker' })));
    expect(p).toMatchObject({
      clientId: 'zaaksysteem',
      userId: 'u123',
      userRepresentation: 'Jan Medewerker',
      applicatieWeergave: 'Zaaksysteem',
      heeftAlleAutorisaties: false,
      rightsKey: 'klanten.lezen',
    });
    expect([...p.scopes]).toEqual(['klanten.lezen']);
  });

  it('accepts the Bearer scheme in any case', () => {
    const { auth } = setup();
    expect(auth.authenticate(`bearer ${token()}`).ok).toBe(true);
  });

  it('answers not_authenticated without a Bearer header', () => {
    const { auth } = setup();
    expect(failure(auth.authenticate(undefined))).toBe('not_authenticated');
    expect(failure(auth.authenticate('Basic dXNlcjpwdw=='))).toBe('not_authenticated');
    const missing = auth.authenticate(undefined);
    expect(!missing.ok && missing.error.headers?.['WWW-Authenticate']).toContain('Bearer');
  });

  it('refuses malformed tokens', () => {
    const { check } = setup();
    expect(failure(check(''))).toBe('malformed_token');
    expect(failure(check('abc'))).toBe('malformed_token');
    expect(failure(check('a.b.c'))).toBe('malformed_token');
    expect(failure(check(`${token()}.extra`))).toBe('malformed_token');
    expect(failure(check('x'.repeat(9000)))).toBe('malformed_token');
  });

  it('refuses a token signed with another secret, and a tampered payload', () => {
    const { check } = setup();
    expect(failure(check(token({}, 'zaaksysteem', 'wrong-secret')))).toBe('bad_signature');
    const [h, , s] = token().split('.');
    const forged = Buffer.from(JSON.stringify({ client_id: 'zaaksysteem', iat: sec(T0), user_id: 'admin' })).toString(
      'base64url',
    );
    expect(failure(check(`${h}.${forged}.${s}`))).toBe('bad_signature');
  });

  it('refuses alg none, RS256 (even HMAC-signed with the secret) and other algorithms', () => {
    const { check } = setup();
    const payload = { client_id: 'zaaksysteem', iat: sec(T0) };
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(
      JSON.stringify(payload),
    ).toString('base64url')}.`;
    expect(failure(check(none))).toBe('unsupported_algorithm');
    expect(failure(check(handMade({ alg: 'RS256', typ: 'JWT' }, payload)))).toBe('unsupported_algorithm');
    expect(failure(check(handMade({ alg: 'HS512' }, payload)))).toBe('unsupported_algorithm');
    expect(failure(check(handMade({ typ: 'JWT' }, payload)))).toBe('unsupported_algorithm');
    expect(check(handMade({ alg: 'HS256' }, payload)).ok).toBe(true);
  });

  it('requires client_id and a configured client', () => {
    const { check } = setup();
    expect(failure(check(handMade({ alg: 'HS256' }, { iat: sec(T0) })))).toBe('missing_client_id');
    expect(failure(check(token({}, 'stranger', 'whatever')))).toBe('unknown_client');
  });

  it('requires iat, and refuses one in the future beyond the leeway', () => {
    const { check } = setup();
    expect(failure(check(handMade({ alg: 'HS256' }, { client_id: 'zaaksysteem' })))).toBe('missing_iat');
    expect(failure(check(token({ iat: sec(T0) + 61 })))).toBe('iat_in_future');
    expect(check(token({ iat: sec(T0) + 59 })).ok).toBe(true);
  });

  it('honours exp with the leeway', () => {
    const { check } = setup();
    expect(failure(check(token({ exp: sec(T0) - 61 })))).toBe('token_expired');
    expect(check(token({ exp: sec(T0) - 59 })).ok).toBe(true);
    expect(failure(check(token({ exp: 'tomorrow' })))).toBe('malformed_token');
  });

  it('enforces the optional maximum token age', () => {
    const { check } = setup({ maxTokenAgeSeconds: 3600 });
    expect(check(token({ iat: sec(T0) - 3000 })).ok).toBe(true);
    expect(failure(check(token({ iat: sec(T0) - 3700 })))).toBe('token_too_old');
  });

  it('gives heeftAlleAutorisaties every scope', () => {
    const { check } = setup();
    const p = principal(check(token({}, 'beheer', 'beheer-secret')));
    expect(p.rightsKey).toBe('*');
    expect(hasScope(p, 'klanten.verwijderen')).toBe(true);
    expect(() => requireScope(p, 'audittrails.lezen')).not.toThrow();
  });
});

describe('scope checks', () => {
  it('403 permission_denied for a scope the client lacks', () => {
    const { check } = setup();
    const p = principal(check(token()));
    expect(() => requireScope(p, 'klanten.lezen')).not.toThrow();
    let thrown: unknown;
    try {
      requireScope(p, 'klanten.aanmaken');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ApiError);
    expect(thrown).toMatchObject({ status: 403, code: 'permission_denied' });
  });

  it('principal scopes cannot be widened by a caller', () => {
    const { check } = setup();
    const p = principal(check(token()));
    expect(() => (p.scopes as Set<string>).add('klanten.verwijderen')).toThrow();
    expect(hasScope(p, 'klanten.verwijderen')).toBe(false);
  });
});

describe('verified-token cache', () => {
  it('returns the same principal for the same token without verifying again', () => {
    const { auth, check } = setup();
    const t = token({ user_id: 'u1' });
    const first = principal(check(t));
    const second = principal(check(t));
    expect(second).toBe(first);
    expect(auth.stats()).toEqual({ cacheHits: 1, verifications: 1 });
  });

  it('does not re-verify a token until it expires, then refuses it', () => {
    const { auth, check, advance } = setup();
    const t = token({ exp: sec(T0) + 600 });
    expect(check(t).ok).toBe(true);
    advance(600_000 + 59_000); // still within exp + leeway
    expect(check(t).ok).toBe(true);
    expect(auth.stats().verifications).toBe(1);
    advance(2_000);
    expect(failure(check(t))).toBe('token_expired');
    expect(auth.stats().verifications).toBe(2);
  });

  it('re-checks the maximum age of a cached token', () => {
    const { check, advance } = setup({ maxTokenAgeSeconds: 60 });
    const t = token();
    expect(check(t).ok).toBe(true);
    advance(121_000);
    expect(failure(check(t))).toBe('token_too_old');
  });

  it('verifies every time when the cache is off, and never caches failures', () => {
    const { auth, check } = setup({ tokenCacheSize: 0 });
    const t = token();
    check(t);
    check(t);
    expect(auth.stats()).toEqual({ cacheHits: 0, verifications: 2 });

    const cached = setup();
    const bad = token({}, 'zaaksysteem', 'wrong');
    failure(cached.check(bad));
    failure(cached.check(bad));
    expect(cached.auth.stats()).toEqual({ cacheHits: 0, verifications: 2 });
  });

  it('answers the repeated header, other spellings of it and interleaved tokens from the cache alike', () => {
    const { auth, check } = setup();
    const a = token({ user_id: 'a' });
    const b = token({ user_id: 'b' });
    const first = principal(check(a));
    expect(principal(check(a))).toBe(first); // the same header string again
    expect(principal(auth.authenticate(`bearer  ${a} `))).toBe(first); // another spelling: through the LRU
    expect(principal(check(b)).userId).toBe('b');
    expect(principal(check(a))).toBe(first);
    failure(auth.authenticate('Bearer'));
    expect(principal(check(a))).toBe(first);
    expect(auth.stats()).toEqual({ cacheHits: 4, verifications: 2 });
  });

  it('keys the cache by the exact token string', () => {
    const { auth, check } = setup();
    check(token({ user_id: 'a' }));
    check(token({ user_id: 'b' }));
    expect(auth.stats()).toEqual({ cacheHits: 0, verifications: 2 });
  });
});
