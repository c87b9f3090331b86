// Read path end to end: gateway ↔ simulator over real HTTP/SOAP, every StUF message XSD-checked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectAll } from '../support/pages.ts';
import { startHarness, type Harness } from '../support/harness.ts';

let h: Harness;
 
let all: any[];

beforeAll(async () => {
  h = await startHarness();
  all = (await collectAll(h)).items;
});

afterAll(async () => {
  await h?.close();
});

describe('klant_list', () => {
  it('pages through every klant of all three subject types, 100 per page', async () => {
    const { count, items, pages } = await collectAll(h);
    expect(count).toBeGreaterThanOrEqual(250);
    expect(items).toHaveLength(count);
    expect(pages.length).toBe(Math.ceil(count / 100));
    expect(pages[0]!.body.previous).toBeNull();
    expect(pages[0]!.body.results).toHaveLength(100);
    expect(pages[1]!.body.previous).toBe(`${h.gateway.url}/api/v1/klanten`);
    expect(pages.at(-1)!.body.next).toBeNull();
    const types = new Set(items.map((k) => k.subjectType));
    expect([...types].sort()).toEqual(['natuurlijk_persoon', 'niet_natuurlijk_persoon', 'vestiging']);
    expect(new Set(items.map((k) => k.url)).size).toBe(count);
  });

  it('renders absolute urls with UUID4 ids and every Klant property', () => {
    for (const k of all) {
      expect(k.url).toMatch(
        new RegExp(`^${h.gateway.url}/api/v1/klanten/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`),
      );
      expect(Object.keys(k).slice(0, 14)).toEqual([
        'url', 'bronorganisatie', 'klantnummer', 'bedrijfsnaam', 'functie', 'websiteUrl', 'voornaam',
        'voorvoegselAchternaam', 'achternaam', 'telefoonnummer', 'emailadres', 'adres', 'subject', 'subjectType',
      ]);
    }
  });

  it('answers 404 for a page past the end and 400 for a malformed page', async () => {
    const past = await h.get('/api/v1/klanten?page=99');
    expect(past.status).toBe(404);
    expect(past.headers.get('content-type')).toContain('application/problem+json');
    const bad = await h.get('/api/v1/klanten?page=abc');
    expect(bad.status).toBe(400);
    expect(bad.body.invalidParams[0].name).toBe('page');
  });

  const pick = (f: (k: any) => unknown) => {
    const withValue = all.filter((k) => f(k) !== '' && f(k) !== null && f(k) !== undefined);
    return withValue[Math.floor(withValue.length / 2)];
  };

  const filters: [string, (k: any) => unknown][] = [
    ['bronorganisatie', (k) => k.bronorganisatie],
    ['klantnummer', (k) => k.klantnummer],
    ['bedrijfsnaam', (k) => k.bedrijfsnaam],
    ['functie', (k) => k.functie],
    ['achternaam', (k) => k.achternaam],
    ['telefoonnummer', (k) => k.telefoonnummer],
    ['emailadres', (k) => k.emailadres],
    ['adres__straatnaam', (k) => k.adres?.straatnaam],
    ['adres__postcode', (k) => k.adres?.postcode],
    ['adres__woonplaatsNaam', (k) => k.adres?.woonplaatsnaam],
    ['adres__landcode', (k) => k.adres?.landcode],
    ['subjectType', (k) => k.subjectType],
    ['subjectNatuurlijkPersoon__inpBsn', (k) => (k.subjectType === 'natuurlijk_persoon' ? k.subjectIdentificatie?.inpBsn : '')],
    ['subjectNatuurlijkPersoon__anpIdentificatie', (k) => (k.subjectType === 'natuurlijk_persoon' ? k.subjectIdentificatie?.anpIdentificatie : '')],
    ['subjectNatuurlijkPersoon__inpA_nummer', (k) => (k.subjectType === 'natuurlijk_persoon' ? k.subjectIdentificatie?.inpANummer : '')],
    ['subjectNietNatuurlijkPersoon__innNnpId', (k) => (k.subjectType === 'niet_natuurlijk_persoon' ? k.subjectIdentificatie?.innNnpId : '')],
    ['subjectNietNatuurlijkPersoon__annIdentificatie', (k) => (k.subjectType === 'niet_natuurlijk_persoon' ? k.subjectIdentificatie?.annIdentificatie : '')],
    ['subjectVestiging__vestigingsNummer', (k) => (k.subjectType === 'vestiging' ? k.subjectIdentificatie?.vestigingsNummer : '')],
  ];

  it.each(filters)('filters on %s exactly like the data says', async (name, get) => {
    const sample = pick(get);
    expect(sample, `demo data has no value for ${name}`).toBeDefined();
    const value = String(get(sample));
    const expected = all.filter((k) => String(get(k) ?? '') === value).map((k) => k.url).sort();
    const got = await collectAll(h, `?${name}=${encodeURIComponent(value)}`);
    expect(got.items.map((k) => k.url).sort()).toEqual(expected);
    expect(got.count).toBe(expected.length);
  });

  it('combines filters and keeps them in next/previous links', async () => {
    const r = await h.get('/api/v1/klanten?subjectType=natuurlijk_persoon');
    expect(r.body.count).toBeGreaterThan(100);
    expect(r.body.next).toBe(`${h.gateway.url}/api/v1/klanten?subjectType=natuurlijk_persoon&page=2`);
    const none = await h.get('/api/v1/klanten?subjectType=vestiging&subjectNatuurlijkPersoon__inpBsn=123456782');
    expect(none.status).toBe(200);
    expect(none.body).toEqual({ count: 0, next: null, previous: null, results: [] });
  });

  it('ignores unknown query parameters and rejects a bad subjectType', async () => {
    const r = await h.get('/api/v1/klanten?subjectTpe=vestiging&page=1');
    expect(r.status).toBe(200);
    expect(r.body.count).toBe(all.length);
    const bad = await h.get('/api/v1/klanten?subjectType=robot');
    expect(bad.status).toBe(400);
    expect(bad.body.invalidParams[0]).toMatchObject({ name: 'subjectType' });
  });
});

describe('klant_read', () => {
  it('returns each klant exactly as the list shows it, for every subject type', async () => {
    const sample = [0, 1, 2, 50, 120, 160, 200, 240, all.length - 1].map((i) => all[i]);
    for (const k of sample) {
      const r = await h.get(new URL(k.url).pathname);
      expect(r.status).toBe(200);
      expect(r.body).toEqual(k);
      expect(r.headers.get('etag')).toMatch(/^"[^"]+"$/);
    }
  });

  it('HEAD answers the GET headers without a body', async () => {
    const path = new URL(all[3].url).pathname;
    const get = await h.get(path);
    const head = await h.request('HEAD', path);
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    for (const name of ['etag', 'content-type', 'content-length', 'api-version']) {
      expect(head.headers.get(name), name).toBe(get.headers.get(name));
    }
  });

  it('404 for an unknown uuid, 400 for a malformed one, both problem+json with API-version', async () => {
    const unknown = await h.get('/api/v1/klanten/5b3c2d7e-1f4a-4c3b-9d2e-8f7a6b5c4d3e');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ status: 404, code: 'not_found' });
    expect(unknown.body.instance).toMatch(/^urn:uuid:/);
    const malformed = await h.get('/api/v1/klanten/not-a-uuid');
    expect(malformed.status).toBe(400);
    expect(malformed.body.invalidParams[0]).toMatchObject({ name: 'uuid', code: 'invalid' });
    for (const r of [unknown, malformed]) {
      expect(r.headers.get('api-version')).toBe('1.0.0');
      expect(r.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('keeps ids stable across a second gateway instance (restart) on the same backend', async () => {
    const other = await startHarness({ sharedSimulator: h.simulator });
    try {
      const r = await other.get('/api/v1/klanten?page=2');
      const ours = await h.get('/api/v1/klanten?page=2');
      const path = (u: string) => new URL(u).pathname;
      expect(r.body.results.map((k: any) => path(k.url))).toEqual(ours.body.results.map((k: any) => path(k.url)));
      const detail = await other.get(path(all[7].url));
      expect(detail.status).toBe(200);
      expect(detail.body.klantnummer).toBe(all[7].klantnummer);
    } finally {
      await other.close();
    }
  });
});

describe('authorization', () => {
  it('401 without a token, 403 without the scope', async () => {
    const none = await h.get('/api/v1/klanten', { client: null });
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toContain('application/problem+json');
    const forbidden = await h.get('/api/v1/klanten', { client: 'nobody' });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.code).toBe('permission_denied');
  });
});

describe('StUF traffic', () => {
  it('every message the gateway sent validated against the XSDs', () => {
    const received = h.simulator.stats().requests;
    expect(received.total).toBeGreaterThan(20);
    expect(h.invalidStufMessages()).toEqual([]);
  });
});

describe('contract', () => {
  it('every response above is described by the served OpenAPI document', async () => {
    const { contractProblems } = await import('../support/contract.ts');
    const problems = contractProblems(h.responses);
    expect(problems.slice(0, 20)).toEqual([]);
  });
});
