// Rights from a ZGW Autorisaties API: the answer's reading, the cache (TTL, single flight, stale
// while refreshing, grace during an outage, then 403 rights_unavailable) and the authenticator on
// top. The AC is a real HTTP server on loopback (test/support/autorisaties-api-server.ts); only
// the clock is the test's.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAuthenticator, type AuthResult } from '../../../src/auth/authenticator.ts';
import { AutorisatiesApiError, fetchClientRights, rightsFromApplicaties } from '../../../src/auth/autorisaties-client.ts';
import { AutorisatiesRights } from '../../../src/auth/autorisaties-rights.ts';
import { signToken } from '../../../src/auth/jwt.ts';
import { requireScope, type Principal } from '../../../src/auth/principal.ts';
import { RIGHTS_UNAVAILABLE } from '../../../src/auth/rights.ts';
import type { AuthConfig } from '../../../src/config/schema.ts';
import { ApiError } from '../../../src/http/problem.ts';
import { kcApplicatie, startAutorisatiesApi, type AutorisatiesApiServer } from '../../support/autorisaties-api-server.ts';

let ac: AutorisatiesApiServer;

beforeAll(async () => {
  ac = await startAutorisatiesApi();
});
afterAll(async () => {
  await ac.stop();
});
beforeEach(() => {
  ac.mode = 'up';
  ac.applicaties = [];
  ac.lookups.length = 0;
  ac.refused = 0;
});

const api = (over: { secret?: string; timeoutMs?: number } = {}) => ({
  url: ac.url,
  clientId: ac.clientId,
  secret: over.secret ?? ac.secret,
  timeoutMs: over.timeoutMs ?? 1_000,
});

describe('rightsFromApplicaties', () => {
  it('takes the kc scopes of the applicatie holding exactly this client id', () => {
    const body = {
      count: 2,
      results: [
        // A loosely matching filter could return this one too: it must not lend its rights.
        { clientIds: ['zaaksysteem-test'], label: 'Other', heeftAlleAutorisaties: true, autorisaties: [] },
        {
          clientIds: ['portaal', 'zaaksysteem'],
          label: 'Zaaksysteem',
          heeftAlleAutorisaties: false,
          autorisaties: [
            { component: 'kc', scopes: ['klanten.lezen', 'klanten.bijwerken', 'klanten.geheim'] },
            { component: 'zrc', scopes: ['klanten.verwijderen', 'zaken.lezen'] },
            { component: 'KC', scopes: ['audittrails.lezen'] },
          ],
        },
      ],
    };
    const rights = rightsFromApplicaties(body, 'zaaksysteem');
    expect(rights.heeftAlleAutorisaties).toBe(false);
    expect([...rights.scopes].sort()).toEqual(['audittrails.lezen', 'klanten.bijwerken', 'klanten.lezen']);
    expect(rights.rightsKey).toBe('audittrails.lezen klanten.bijwerken klanten.lezen');
    expect(rights.label).toBe('Zaaksysteem');
    expect(rights.unavailable).toBe(false);
  });

  it('grants everything with heeftAlleAutorisaties, nothing without an applicatie', () => {
    const all = rightsFromApplicaties({ results: [{ clientIds: ['a'], label: 'A', heeftAlleAutorisaties: true, autorisaties: [] }] }, 'a');
    expect(all.heeftAlleAutorisaties).toBe(true);
    expect(all.rightsKey).toBe('*');
    expect(all.scopes.has('klanten.verwijderen')).toBe(true);
    const none = rightsFromApplicaties({ count: 0, next: null, previous: null, results: [] }, 'a');
    expect(none.scopes.size).toBe(0);
    expect(none.heeftAlleAutorisaties).toBe(false);
  });

  it('refuses an answer without a results list', () => {
    expect(() => rightsFromApplicaties({ detail: 'x' }, 'a')).toThrow(AutorisatiesApiError);
    expect(() => rightsFromApplicaties('nope', 'a')).toThrow(AutorisatiesApiError);
  });
});

describe('fetchClientRights (real HTTP)', () => {
  it('asks GET {url}/applicaties?clientIds=<id> with a JWT of the gateway', async () => {
    ac.applicaties = [kcApplicatie('zaak/systeem 1&x=2', ['klanten.lezen'])];
    const rights = await fetchClientRights(api(), 'zaak/systeem 1&x=2');
    expect(ac.lookups).toEqual(['zaak/systeem 1&x=2']); // encoded as one query value
    expect([...rights.scopes]).toEqual(['klanten.lezen']);
    expect(ac.refused).toBe(0);
  });

  it('fails on refused credentials, HTTP errors, dropped connections and timeouts', async () => {
    await expect(fetchClientRights(api({ secret: 'wrong' }), 'a')).rejects.toThrow(/HTTP 403.*autorisatiesApi/);
    expect(ac.refused).toBe(1);
    ac.mode = 'error';
    await expect(fetchClientRights(api(), 'a')).rejects.toThrow(/HTTP 500/);
    ac.mode = 'drop';
    await expect(fetchClientRights(api(), 'a')).rejects.toThrow(/unreachable/);
    ac.mode = 'hang';
    const started = performance.now();
    await expect(fetchClientRights(api({ timeoutMs: 100 }), 'a')).rejects.toThrow(/no answer within 100 ms/);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('AutorisatiesRights', () => {
  function cache(opts: { ttlMs?: number; graceMs?: number; retryMs?: number } = {}) {
    let now = 1_000_000;
    const rights = new AutorisatiesRights({
      lookup: (clientId, signal) => fetchClientRights(api(), clientId, signal),
      ttlMs: opts.ttlMs ?? 60_000,
      graceMs: opts.graceMs ?? 600_000,
      retryMs: opts.retryMs ?? 2_000,
      now: () => now,
    });
    return { rights, advance: (ms: number) => void (now += ms) };
  }

  it('asks once per client for concurrent requests, then answers from memory until the TTL', async () => {
    ac.applicaties = [kcApplicatie('a', ['klanten.lezen']), kcApplicatie('b', ['klanten.aanmaken'])];
    const { rights, advance } = cache();
    expect(rights.peek('a')).toBeUndefined();
    const answers = await Promise.all([...Array(20)].map(() => rights.resolve('a')));
    expect(ac.lookups).toEqual(['a']);
    expect(new Set(answers).size).toBe(1);
    expect([...answers[0]!.scopes]).toEqual(['klanten.lezen']);
    advance(59_000);
    expect(rights.peek('a')).toBe(answers[0]);
    expect([...(await rights.resolve('b')).scopes]).toEqual(['klanten.aanmaken']);
    expect(ac.lookups).toEqual(['a', 'b']);
  });

  it('after the TTL serves the last answer while one background refresh fetches the new one', async () => {
    ac.applicaties = [kcApplicatie('a', ['klanten.lezen', 'klanten.verwijderen'])];
    const { rights, advance } = cache();
    const first = await rights.resolve('a');
    ac.applicaties = [kcApplicatie('a', ['klanten.lezen'])]; // revoked in the AC
    advance(60_000);
    expect(rights.peek('a')).toBe(first); // no waiting
    expect(rights.peek('a')).toBe(first);
    await until(() => rights.peek('a') !== first);
    expect(ac.lookups).toEqual(['a', 'a']);
    expect([...rights.peek('a')!.scopes]).toEqual(['klanten.lezen']);
    expect(rights.stats()).toMatchObject({ lookups: 2, failures: 0 });
  });

  it('keeps the same object when a refresh changes nothing (principals stay valid)', async () => {
    ac.applicaties = [kcApplicatie('a', ['klanten.lezen'])];
    const { rights, advance } = cache();
    const first = await rights.resolve('a');
    advance(61_000);
    rights.peek('a');
    await until(() => ac.lookups.length === 2);
    await new Promise((r) => setTimeout(r, 10));
    advance(1);
    expect(rights.peek('a')).toBe(first);
    expect(rights.stats().lookups).toBe(2);
  });

  it('survives an AC outage for the grace period, asking at most every retryMs, then answers unavailable', async () => {
    ac.applicaties = [kcApplicatie('a', ['klanten.lezen'])];
    const { rights, advance } = cache({ ttlMs: 60_000, graceMs: 300_000, retryMs: 5_000 });
    const known = await rights.resolve('a');
    ac.mode = 'error';
    advance(60_000);
    expect(rights.peek('a')).toBe(known);
    await until(() => rights.stats().failures === 1);
    for (let i = 0; i < 10; i++) expect(rights.peek('a')).toBe(known); // within retryMs: not asked again
    expect(ac.lookups).toHaveLength(2);
    advance(5_000);
    expect(rights.peek('a')).toBe(known);
    await until(() => rights.stats().failures === 2);
    advance(300_000 - 5_000); // grace over (answer is ttl + grace old)
    expect(rights.peek('a')).toBeUndefined();
    expect(await rights.resolve('a')).toBe(RIGHTS_UNAVAILABLE);
    expect(rights.peek('a')).toBe(RIGHTS_UNAVAILABLE); // at once, without asking, until retryMs passed
    expect(ac.lookups).toHaveLength(4); // first answer, two refreshes during the grace period, one after it
    ac.mode = 'up';
    advance(5_000);
    const back = await rights.resolve('a');
    expect([...back.scopes]).toEqual(['klanten.lezen']);
    expect(back.unavailable).toBe(false);
  });

  it('answers unavailable when the very first lookup fails', async () => {
    ac.mode = 'drop';
    const { rights } = cache();
    expect(await rights.resolve('a')).toBe(RIGHTS_UNAVAILABLE);
    expect(rights.stats()).toMatchObject({ lookups: 1, failures: 1, unavailable: 1 });
  });
});

describe('createAuthenticator with an Autorisaties API', () => {
  const SECRETS = { zaaksysteem: 'zaaksysteem-secret-0123456789', beheer: 'beheer-secret-0123456789' };
  const T0 = Date.now();

  function setup(ttlMs = 60_000, graceMs = 0) {
    let now = T0;
    const autorisaties = new AutorisatiesRights({
      lookup: (clientId, signal) => fetchClientRights(api(), clientId, signal),
      ttlMs,
      graceMs,
      now: () => now,
    });
    const cfg: AuthConfig = {
      clients: [
        // No rights in config: they come from the AC.
        { clientId: 'zaaksysteem', secret: SECRETS.zaaksysteem, scopes: [], heeftAlleAutorisaties: false, applicatieWeergave: '' },
        // Rights in config: they win, the AC is not asked.
        { clientId: 'beheer', secret: SECRETS.beheer, scopes: ['klanten.lezen'], heeftAlleAutorisaties: false, applicatieWeergave: 'Beheer' },
      ],
      leewaySeconds: 60,
      tokenCacheSize: 100,
      autorisatiesApi: { url: ac.url, clientId: ac.clientId, secret: ac.secret, timeoutMs: 1_000, cacheSeconds: 60, graceSeconds: 0 },
    };
    const auth = createAuthenticator(cfg, { now: () => now, autorisaties });
    return { auth, advance: (ms: number) => void (now += ms) };
  }

  const bearer = (clientId: keyof typeof SECRETS) => `Bearer ${signToken(clientId, SECRETS[clientId], { iat: Math.floor(T0 / 1000) })}`;

  async function principal(result: AuthResult | Promise<AuthResult>): Promise<Principal> {
    const r = await result;
    if (!r.ok) throw new Error(`expected success, got ${r.code}`);
    return r.principal;
  }

  it('takes scopes and the display name from the AC for a client without rights in config', async () => {
    ac.applicaties = [kcApplicatie('zaaksysteem', ['klanten.lezen', 'klanten.aanmaken'], 'Zaaksysteem (AC)')];
    const { auth } = setup();
    const token = bearer('zaaksysteem');
    // The synchronous path cannot wait: it says so instead of refusing.
    const sync = auth.authenticate(token);
    expect(sync.ok).toBe(false);
    expect(!sync.ok && sync.code).toBe('rights_pending');
    const p = await principal(auth.resolve(token));
    expect(p).toMatchObject({ clientId: 'zaaksysteem', applicatieWeergave: 'Zaaksysteem (AC)', rightsKey: 'klanten.aanmaken klanten.lezen' });
    // From now on synchronous, the same principal object (token and rights cached).
    expect(await principal(auth.authenticate(token))).toBe(p);
    expect(await principal(auth.resolve(token))).toBe(p);
    expect(ac.lookups).toEqual(['zaaksysteem']);
    expect(auth.stats().autorisaties).toMatchObject({ lookups: 1, failures: 0 });
  });

  it('uses config rights as an override: the AC is never asked for such a client', async () => {
    ac.applicaties = [kcApplicatie('beheer', ['klanten.verwijderen'])];
    const { auth } = setup();
    const p = await principal(auth.authenticate(bearer('beheer')));
    expect([...p.scopes]).toEqual(['klanten.lezen']);
    expect(ac.lookups).toEqual([]);
  });

  it('never asks the AC about a token it could not verify', async () => {
    const { auth } = setup();
    const stranger = await auth.resolve(`Bearer ${signToken('stranger', 'whatever')}`);
    expect(!stranger.ok && stranger.code).toBe('unknown_client');
    const forged = await auth.resolve(`Bearer ${signToken('zaaksysteem', 'not-the-secret')}`);
    expect(!forged.ok && forged.code).toBe('bad_signature');
    expect(ac.lookups).toEqual([]);
  });

  it('a revocation in the AC reaches a cached token after the TTL', async () => {
    ac.applicaties = [kcApplicatie('zaaksysteem', ['klanten.lezen', 'klanten.verwijderen'])];
    const { auth, advance } = setup(60_000);
    const token = bearer('zaaksysteem');
    const before = await principal(auth.resolve(token));
    expect(before.scopes.has('klanten.verwijderen')).toBe(true);
    ac.applicaties = [kcApplicatie('zaaksysteem', ['klanten.lezen'])];
    advance(60_000);
    await principal(auth.resolve(token)); // stale answer, refresh started
    await until(() => ac.lookups.length === 2);
    await new Promise((r) => setTimeout(r, 10));
    const after = await principal(auth.authenticate(token));
    expect(after).not.toBe(before);
    expect(after.scopes.has('klanten.verwijderen')).toBe(false);
    expect(() => requireScope(after, 'klanten.verwijderen')).toThrow(expect.objectContaining({ status: 403, code: 'permission_denied' }));
  });

  it('with the AC down and no usable answer: authenticated, but every scope check is 403 rights_unavailable', async () => {
    ac.mode = 'error';
    const { auth } = setup();
    const p = await principal(auth.resolve(bearer('zaaksysteem')));
    expect(p.rightsUnavailable).toBe(true);
    let thrown: unknown;
    try {
      requireScope(p, 'klanten.lezen');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ApiError);
    expect(thrown).toMatchObject({ status: 403, code: 'rights_unavailable' });
  });
});

async function until(check: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
