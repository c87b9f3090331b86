// A gateway whose clients get their rights from an Autorisaties API (a real HTTP server on
// loopback standing in for the AC): scopes per operation from the AC, config rights as override,
// cache hits answered before Express for such clients, unknown clients never looked up, and an AC
// outage survived for the grace period, then 403 rights_unavailable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../src/auth/jwt.ts';
import { CLIENTS, startHarness, type Harness } from '../support/harness.ts';
import { kcApplicatie, startAutorisatiesApi, type AutorisatiesApiServer } from '../support/autorisaties-api-server.ts';

const AC_CLIENTS = {
  reader: { clientId: 'ac-reader', secret: 'ac-reader-secret-0123456789' },
  none: { clientId: 'ac-none', secret: 'ac-none-secret-0123456789' },
  // First looked up in the outage test, so that test knows the age of its answer.
  grace: { clientId: 'ac-grace', secret: 'ac-grace-secret-0123456789' },
  // Has rights in config: the AC is not asked for it even though it knows the client.
  pinned: { clientId: 'ac-pinned', secret: 'ac-pinned-secret-0123456789', scopes: ['klanten.lezen'] },
};

const bearer = (c: { clientId: string; secret: string }) => ({ authorization: `Bearer ${signToken(c.clientId, c.secret)}` });

describe('rights from an Autorisaties API', () => {
  let ac: AutorisatiesApiServer;
  let h: Harness;
  let klantPath: string;

  beforeAll(async () => {
    ac = await startAutorisatiesApi();
    ac.applicaties = [
      kcApplicatie('ac-reader', ['klanten.lezen'], 'Zaaksysteem via AC'),
      kcApplicatie('ac-pinned', ['klanten.verwijderen']),
      kcApplicatie('ac-grace', ['klanten.lezen']),
      // Rights in another component only: nothing in the Klanten API.
      { clientIds: ['ac-none'], label: 'Elders', heeftAlleAutorisaties: false, autorisaties: [{ component: 'zrc', scopes: ['klanten.lezen'] }] },
    ];
    h = await startHarness({
      config: {
        auth: {
          clients: [...Object.values(CLIENTS).map((c) => ({ ...c })), ...Object.values(AC_CLIENTS)],
          autorisatiesApi: { url: ac.url, clientId: ac.clientId, secret: ac.secret, cacheSeconds: 1, graceSeconds: 1 },
        },
        subjectCheck: { enabled: false },
      },
    });
    const list = await h.get('/api/v1/klanten?subjectType=natuurlijk_persoon');
    klantPath = `/api/v1/klanten/${list.body.results[0].url.split('/').pop()}`;
  });

  afterAll(async () => {
    await h?.close();
    await ac?.stop();
  });

  it('grants the scopes the AC gives for component kc, per operation', async () => {
    const lookupsBefore = ac.lookups.length;
    expect((await h.get(klantPath, { headers: bearer(AC_CLIENTS.reader) })).status).toBe(200);
    const fast = h.gateway.cache.health().counters.fastPathHits;
    expect((await h.get(klantPath, { headers: bearer(AC_CLIENTS.reader) })).status).toBe(200);
    // The AC client's rights are in memory: its cache hit was answered before Express.
    expect(h.gateway.cache.health().counters.fastPathHits).toBe(fast + 1);
    const create = await h.request('POST', '/api/v1/klanten', {
      headers: bearer(AC_CLIENTS.reader),
      body: { bronorganisatie: '123456782', klantnummer: 'AC-1', websiteUrl: 'https://example.nl', subjectType: 'natuurlijk_persoon' },
    });
    expect(create.status).toBe(403);
    expect(create.body).toMatchObject({ code: 'permission_denied' });
    // One lookup for all of it.
    expect(ac.lookups.slice(lookupsBefore)).toEqual(['ac-reader']);
    expect(ac.refused).toBe(0);
  });

  it('gives nothing to a client whose applicatie has no kc autorisaties', async () => {
    const r = await h.get('/api/v1/klanten', { headers: bearer(AC_CLIENTS.none) });
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ code: 'permission_denied' });
  });

  it('keeps config rights as an override: the AC is not asked', async () => {
    expect((await h.get(klantPath, { headers: bearer(AC_CLIENTS.pinned) })).status).toBe(200);
    expect((await h.request('DELETE', klantPath, { headers: bearer(AC_CLIENTS.pinned) })).status).toBe(403);
    expect(ac.lookups).not.toContain('ac-pinned');
  });

  it('never looks up a client it cannot verify: 401 first', async () => {
    const r = await h.get('/api/v1/klanten', { headers: bearer({ clientId: 'stranger', secret: 'x'.repeat(20) }) });
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ code: 'unknown_client' });
    const forged = await h.get('/api/v1/klanten', { headers: bearer({ clientId: 'ac-reader', secret: 'not-its-secret-0123' }) });
    expect(forged.body).toMatchObject({ code: 'bad_signature' });
    expect(ac.lookups).not.toContain('stranger');
  });

  it('survives an AC outage with the last answer for the grace period, then answers 403 rights_unavailable', async () => {
    const path = '/api/v1/klanten?subjectType=vestiging';
    expect(ac.lookups).not.toContain('ac-grace');
    expect((await h.get(path, { headers: bearer(AC_CLIENTS.grace) })).status).toBe(200);
    const answeredAt = Date.now(); // the lookup was made during that request
    ac.mode = 'error';
    await new Promise((r) => setTimeout(r, Math.max(0, answeredAt + 1_100 - Date.now())));
    // Older than cacheSeconds, within graceSeconds: the last answer still counts; a refresh fails.
    expect((await h.get(path, { headers: bearer(AC_CLIENTS.grace) })).status).toBe(200);
    await new Promise((r) => setTimeout(r, Math.max(0, answeredAt + 2_100 - Date.now())));
    const refused = await h.get(path, { headers: bearer(AC_CLIENTS.grace) });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'rights_unavailable', status: 403 });
    expect(refused.body.detail).toContain('Autorisaties API');
    expect(h.gateway.authenticator.stats().autorisaties?.failures).toBeGreaterThanOrEqual(1);
    // Clients with rights in config are not affected.
    expect((await h.get(path, { headers: bearer(AC_CLIENTS.pinned) })).status).toBe(200);
  });
});
