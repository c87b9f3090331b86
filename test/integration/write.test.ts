// Write path end to end: klant_create / klant_update / klant_partial_update / klant_delete over
// HTTP against the simulator, which validates every kennisgeving against bg0310-mutatie.xsd and
// whose stored state is what the tests compare against.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { contractProblems } from '../support/contract.ts';
import { startHarness, type ApiResponse, type Harness } from '../support/harness.ts';
import {
  BRON,
  LK01,
  OTHER_BRON,
  RecordingPorts,
  SUBJECT_TYPES,
  klantBody,
  messageCount,
  storedWith,
} from '../support/write-fixtures.ts';

let h: Harness;
const rec = new RecordingPorts();

beforeAll(async () => {
  h = await startHarness({ writePorts: rec.ports() });
  rec.attach(h.gateway);
});

afterEach(() => {
  expect(h.invalidStufMessages()).toEqual([]);
});

afterAll(async () => {
  await h?.close();
});

const idOf = (r: ApiResponse): string => String(r.body.url).split('/').pop() ?? '';
const pathOf = (r: ApiResponse): string => `/api/v1/klanten/${idOf(r)}`;
const KLANT_LK01 = Object.values(LK01);

async function create(body: Record<string, unknown>): Promise<ApiResponse> {
  const r = await h.request('POST', '/api/v1/klanten', { body });
  expect(r.status, r.text).toBe(201);
  return r;
}

/** Runs fn and returns how many StUF messages (of the given kinds; all when none) the simulator got meanwhile. */
async function backendMessagesDuring(fn: () => Promise<unknown>, ...elements: string[]): Promise<number> {
  const before = messageCount(h.simulator, ...elements);
  await fn();
  return messageCount(h.simulator, ...elements) - before;
}

describe('klant_create', () => {
  it.each(SUBJECT_TYPES)('creates a %s: 201, absolute Location, the body as klant_read renders it, stored in the backend', async (type) => {
    const body = klantBody(type, { klantnummer: `T${type.slice(0, 3)}01` });
    const lk01Before = messageCount(h.simulator, LK01[type]);
    const r = await create(body);

    expect(r.headers.get('location')).toBe(r.body.url);
    expect(r.body.url).toMatch(new RegExp(`^${h.gateway.url}/api/v1/klanten/[0-9a-f-]{36}$`));
    const { subjectIdentificatie, ...top } = body;
    expect(r.body).toMatchObject(top);
    expect(r.body.subjectIdentificatie).toMatchObject(subjectIdentificatie as object);
    expect(messageCount(h.simulator, LK01[type]) - lk01Before).toBe(1);

    const read = await h.get(pathOf(r));
    expect(read.status).toBe(200);
    expect(read.body).toEqual(r.body);
    expect(read.headers.get('etag')).toBe(r.headers.get('etag'));
    expect(storedWith(h.simulator, BRON, String(body.klantnummer))).toHaveLength(1);

    const T = h.simulator.messages().filter((m) => m.element === LK01[type]).at(-1);
    expect(T?.xml).toMatch(/<(\w+:)?mutatiesoort>T</);
  });

  it('generates a klantnummer (≤ 8 characters, unique within the bronorganisatie) when none is sent', async () => {
    const a = await create(klantBody('natuurlijk_persoon'));
    const b = await create(klantBody('vestiging'));
    const other = await create(klantBody('niet_natuurlijk_persoon', { bronorganisatie: OTHER_BRON }));
    for (const r of [a, b, other]) {
      expect(r.body.klantnummer).toMatch(/^[0-9]{1,8}$/);
      expect(storedWith(h.simulator, r.body.bronorganisatie, r.body.klantnummer)).toHaveLength(1);
    }
    expect(a.body.klantnummer).not.toBe(b.body.klantnummer);
    // Seeded from the backend's highest number: above every number the demo data holds.
    const all = await h.get(`/api/v1/klanten?bronorganisatie=${BRON}`);
    const numbers = (all.body.results as { klantnummer: string }[]).map((k) => k.klantnummer).filter((k) => /^[0-9]+$/.test(k));
    expect(Number(b.body.klantnummer)).toBe(Math.max(...numbers.map(Number)));
  });

  it('kla-001: an existing bronorganisatie + klantnummer is 400 nonFieldErrors/unique and sends no kennisgeving', async () => {
    const existing = await create(klantBody('natuurlijk_persoon', { klantnummer: 'DUP-01' }));
    let r!: ApiResponse;
    // The pair is taken by an NPS; a VES with the same pair is refused too (unique across types).
    const sent = await backendMessagesDuring(async () => {
      r = await h.request('POST', '/api/v1/klanten', { body: klantBody('vestiging', { klantnummer: 'DUP-01' }) });
    }, ...KLANT_LK01);
    expect(r.status).toBe(400);
    expect(r.body.invalidParams).toEqual([{ name: 'nonFieldErrors', code: 'unique', reason: expect.any(String) }]);
    expect(sent).toBe(0);
    // The same klantnummer in another bronorganisatie is fine.
    await create(klantBody('vestiging', { klantnummer: 'DUP-01', bronorganisatie: OTHER_BRON }));
    expect(storedWith(h.simulator, BRON, existing.body.klantnummer)).toHaveLength(1);
  });

  it('validation: one invalidParams entry per problem, and the backend is never asked', async () => {
    let r!: ApiResponse;
    const sent = await backendMessagesDuring(async () => {
      r = await h.request('POST', '/api/v1/klanten', {
        body: {
          ...klantBody('natuurlijk_persoon'),
          bronorganisatie: '123456789', // fails the 11-proef
          websiteUrl: undefined, // required
          emailadres: 'geen-email',
          klantnummer: '123456789', // > 8
          subjectIdentificatie: { inpBsn: '12345', verblijfsadres: { gorOpenbareRuimteNaam: 'x' } },
        },
      });
    });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('invalid');
    const byName = Object.fromEntries((r.body.invalidParams as { name: string; code: string }[]).map((p) => [p.name, p.code]));
    expect(byName).toEqual({
      bronorganisatie: 'invalid',
      websiteUrl: 'required',
      emailadres: 'invalid',
      klantnummer: 'max_length',
      'subjectIdentificatie.inpBsn': 'invalid-length',
      'subjectIdentificatie.verblijfsadres.aoaIdentificatie': 'required',
    });
    expect(sent).toBe(0);
  });

  it('malformed JSON (400), another media type (415) and a body over the limit (413) never reach the backend', async () => {
    const sent = await backendMessagesDuring(async () => {
      const bad = await h.request('POST', '/api/v1/klanten', { rawBody: '{"bronorganisatie": ', headers: { 'content-type': 'application/json' } });
      expect(bad.status).toBe(400);
      const xml = await h.request('POST', '/api/v1/klanten', { rawBody: '<klant/>', headers: { 'content-type': 'application/xml' } });
      expect(xml.status).toBe(415);
      const big = await h.request('POST', '/api/v1/klanten', { body: { ...klantBody('vestiging'), functie: 'x'.repeat(200 * 1024) } });
      expect(big.status).toBe(413);
      const notObject = await h.request('POST', '/api/v1/klanten', { body: [1, 2] });
      expect(notObject.status).toBe(400);
      expect(notObject.body.invalidParams[0].name).toBe('nonFieldErrors');
    });
    expect(sent).toBe(0);
  });

  it('needs a subjectType (the backend stores NPS, NNP or VES) and a subject or subjectIdentificatie (invalid-subject)', async () => {
    const sent = await backendMessagesDuring(async () => {
      const noType = await h.request('POST', '/api/v1/klanten', { body: { ...klantBody('vestiging'), subjectType: undefined, subjectIdentificatie: undefined, subject: 'https://example.com/s/1' } });
      expect(noType.status).toBe(400);
      expect(noType.body.invalidParams).toEqual([{ name: 'subjectType', code: 'required', reason: expect.any(String) }]);
      const noSubject = await h.request('POST', '/api/v1/klanten', { body: { ...klantBody('vestiging'), subjectIdentificatie: undefined } });
      expect(noSubject.status).toBe(400);
      expect(noSubject.body.invalidParams).toEqual([{ name: 'nonFieldErrors', code: 'invalid-subject', reason: expect.any(String) }]);
    });
    expect(sent).toBe(0);
    // A subject alone is enough; it is checked (kla-002) before anything is written.
    const checks = rec.subjectChecks.length;
    const withSubject = await create({ ...klantBody('vestiging'), subjectIdentificatie: undefined, subject: 'https://example.com/subjecten/1' });
    expect(withSubject.body.subject).toBe('https://example.com/subjecten/1');
    expect(withSubject.body.subjectIdentificatie).toBeNull();
    expect(rec.subjectChecks.slice(checks)).toEqual(['https://example.com/subjecten/1']);
  });

  it('kla-002: a subject that does not answer 200 is 400 on subject before anything is written; PATCH checks a changed subject only', async () => {
    let r!: ApiResponse;
    const sent = await backendMessagesDuring(async () => {
      r = await h.request('POST', '/api/v1/klanten', { body: klantBody('vestiging', { subject: 'https://example.com/bestaat-niet' }) });
    });
    expect(r.status).toBe(400);
    expect(r.body.invalidParams).toEqual([{ name: 'subject', code: 'bad-url', reason: expect.any(String) }]);
    expect(sent).toBe(0);

    const created = await create(klantBody('vestiging', { subject: 'https://example.com/subjecten/2' }));
    const checks = rec.subjectChecks.length;
    expect((await h.request('PATCH', pathOf(created), { body: { voornaam: 'Kees' } })).status).toBe(200);
    expect(rec.subjectChecks.length).toBe(checks);
    const changed = await h.request('PATCH', pathOf(created), { body: { subject: 'https://example.com/bestaat-niet/3' } });
    expect(changed.status).toBe(400);
    expect(changed.body.invalidParams[0]).toMatchObject({ name: 'subject', code: 'bad-url' });
    expect((await h.get(pathOf(created))).body.subject).toBe('https://example.com/subjecten/2');
  });

  it('requires klanten.aanmaken (403) and a token (401)', async () => {
    const sent = await backendMessagesDuring(async () => {
      expect((await h.request('POST', '/api/v1/klanten', { body: klantBody('vestiging'), client: 'reader' })).status).toBe(403);
      expect((await h.request('POST', '/api/v1/klanten', { body: klantBody('vestiging'), client: null })).status).toBe(401);
    });
    expect(sent).toBe(0);
  });

  it('records one audit entry and one notification per create, after the backend confirmed', async () => {
    const before = rec.counts();
    const r = await h.request('POST', '/api/v1/klanten', {
      body: klantBody('niet_natuurlijk_persoon', { klantnummer: 'AUD-01' }),
      client: 'writer',
      headers: { 'x-audit-toelichting': 'aangemaakt bij de balie' },
    });
    expect(r.status).toBe(201);
    expect(rec.counts()).toEqual({ audits: before.audits + 1, notifications: before.notifications + 1, invalidations: before.invalidations + 1 });
    expect(rec.audits.at(-1)).toMatchObject({
      klantId: idOf(r),
      bron: 'kc',
      applicatieId: 'test-writer',
      actie: 'create',
      resultaat: 201,
      hoofdObject: r.body.url,
      resource: 'klant',
      resourceUrl: r.body.url,
      toelichting: 'aangemaakt bij de balie',
      resourceWeergave: `${BRON} - AUD-01`,
      wijzigingen: { oud: null, nieuw: r.body },
    });
    expect(rec.notifications.at(-1)).toEqual({
      kanaal: 'klanten',
      hoofdObject: r.body.url,
      resource: 'klant',
      resourceUrl: r.body.url,
      actie: 'create',
      aanmaakdatum: expect.any(String),
      kenmerken: { subjectType: 'niet_natuurlijk_persoon' },
    });
  });
});

describe('Idempotency-Key', () => {
  it('a retried POST with the same key gets the first answer and creates one klant', async () => {
    const body = klantBody('natuurlijk_persoon');
    const headers = { 'idempotency-key': '"8e03978e-40d5-43e8-bc93-6894a57f9324"' };
    const lk01 = messageCount(h.simulator, 'npsLk01');
    const first = await h.request('POST', '/api/v1/klanten', { body, headers });
    const again = await h.request('POST', '/api/v1/klanten', { body: JSON.parse(JSON.stringify(body)), headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(again.text).toBe(first.text);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(messageCount(h.simulator, 'npsLk01') - lk01).toBe(1);
    expect(storedWith(h.simulator, BRON, first.body.klantnummer)).toHaveLength(1);
  });

  it('the same key with another body is 422; another client with the same key is another request', async () => {
    const headers = { 'idempotency-key': 'key-422' };
    const first = await h.request('POST', '/api/v1/klanten', { body: klantBody('vestiging'), headers });
    expect(first.status).toBe(201);
    const other = await h.request('POST', '/api/v1/klanten', { body: klantBody('vestiging'), headers });
    expect(other.status).toBe(422);
    const otherClient = await h.request('POST', '/api/v1/klanten', { body: klantBody('vestiging'), headers, client: 'writer' });
    expect(otherClient.status).toBe(201);
    expect(otherClient.headers.get('location')).not.toBe(first.headers.get('location'));
  });

  it('concurrent retries with one key create one klant (the others get 409 or the replay)', async () => {
    const body = klantBody('niet_natuurlijk_persoon');
    const headers = { 'idempotency-key': 'key-concurrent' };
    const lk01 = messageCount(h.simulator, 'nnpLk01');
    const answers = await Promise.all([1, 2, 3, 4].map(() => h.request('POST', '/api/v1/klanten', { body, headers })));
    expect(answers.filter((a) => a.status === 201).length).toBeGreaterThanOrEqual(1);
    expect(answers.every((a) => a.status === 201 || a.status === 409)).toBe(true);
    expect(new Set(answers.filter((a) => a.status === 201).map((a) => a.headers.get('location'))).size).toBe(1);
    expect(messageCount(h.simulator, 'nnpLk01') - lk01).toBe(1);
  });

  it('a failed create frees the key: the retry runs again', async () => {
    const headers = { 'idempotency-key': 'key-after-400' };
    const bad = await h.request('POST', '/api/v1/klanten', { body: { ...klantBody('vestiging'), websiteUrl: 'geen url' }, headers });
    expect(bad.status).toBe(400);
    const good = await h.request('POST', '/api/v1/klanten', { body: klantBody('vestiging'), headers });
    expect(good.status).toBe(201);
  });

  it('a malformed key is 400', async () => {
    const r = await h.request('POST', '/api/v1/klanten', { body: klantBody('vestiging'), headers: { 'idempotency-key': 'twee woorden' } });
    expect(r.status).toBe(400);
    expect(r.body.invalidParams[0].name).toBe('Idempotency-Key');
  });
});

describe('klant_update (PUT) and klant_partial_update (PATCH)', () => {
  it.each(SUBJECT_TYPES)('PUT replaces a %s (W with old/new from the current state); fields left out keep their value', async (type) => {
    const created = await create(klantBody(type));
    const put = klantBody(type, { klantnummer: created.body.klantnummer, telefoonnummer: '0201234567', adres: { straatnaam: 'Dorpsweg' } });
    delete put.functie;
    const before = rec.counts();
    const r = await h.request('PUT', pathOf(created), { body: put });
    expect(r.status, r.text).toBe(200);
    expect(r.body.telefoonnummer).toBe('0201234567');
    expect(r.body.functie).toBe('inwoner'); // not sent: kept
    // A group sent with PUT replaces the stored group: members left out are empty now.
    expect(r.body.adres).toEqual({ straatnaam: 'Dorpsweg', huisnummer: null, huisletter: '', huisnummertoevoeging: '', postcode: '', woonplaatsnaam: '', landcode: '' });
    expect(r.body.subjectIdentificatie).toMatchObject(put.subjectIdentificatie as object);
    expect(r.headers.get('etag')).toBeTruthy();
    const read = await h.get(pathOf(created));
    expect(read.body).toEqual(r.body);
    expect(read.headers.get('etag')).toBe(r.headers.get('etag'));

    const W = h.simulator.messages().filter((m) => m.element === LK01[type]).at(-1);
    expect(W?.xml).toMatch(/<(\w+:)?mutatiesoort>W</);
    expect(rec.counts()).toEqual({ audits: before.audits + 1, notifications: before.notifications + 1, invalidations: before.invalidations + 1 });
    expect(rec.audits.at(-1)).toMatchObject({ actie: 'update', resultaat: 200, wijzigingen: { oud: created.body, nieuw: r.body } });
  });

  it.each(SUBJECT_TYPES)('PATCH merges into a %s: nested members one by one, null clears a group', async (type) => {
    const created = await create(klantBody(type));
    const r = await h.request('PATCH', pathOf(created), { body: { emailadres: 'nieuw@example.nl', adres: { huisnummer: 99 } } });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toEqual({ ...created.body, emailadres: 'nieuw@example.nl', adres: { ...created.body.adres, huisnummer: 99 } });
    expect(rec.audits.at(-1)).toMatchObject({ actie: 'partial_update', resultaat: 200 });

    const cleared = await h.request('PATCH', pathOf(created), { body: { adres: null } });
    expect(cleared.status).toBe(200);
    expect(cleared.body.adres).toBeNull();
    expect((await h.get(pathOf(created))).body.adres).toBeNull();
  });

  it('PATCH of nested subjectIdentificatie members keeps the others', async () => {
    const created = await create(klantBody('natuurlijk_persoon'));
    const r = await h.request('PATCH', pathOf(created), { body: { subjectIdentificatie: { voornamen: 'Johannes', verblijfsadres: { aoaHuisnummer: 7 } } } });
    expect(r.status, r.text).toBe(200);
    expect(r.body.subjectIdentificatie).toEqual({
      ...created.body.subjectIdentificatie,
      voornamen: 'Johannes',
      verblijfsadres: { ...created.body.subjectIdentificatie.verblijfsadres, aoaHuisnummer: 7 },
    });
  });

  it('PATCH that creates a group without its required members is 400 on those members; nothing is written', async () => {
    const created = await create(klantBody('niet_natuurlijk_persoon'));
    let r!: ApiResponse;
    const sent = await backendMessagesDuring(async () => {
      r = await h.request('PATCH', pathOf(created), { body: { subjectIdentificatie: { subVerblijfBuitenland: { subAdresBuitenland1: 'Rue 1' } } } });
    }, ...KLANT_LK01);
    expect(r.status).toBe(400);
    expect(r.body.invalidParams.map((p: { name: string; code: string }) => `${p.name}:${p.code}`).sort()).toEqual([
      'subjectIdentificatie.subVerblijfBuitenland.lndLandcode:required',
      'subjectIdentificatie.subVerblijfBuitenland.lndLandnaam:required',
    ]);
    expect(sent).toBe(0);
  });

  it('changing subjectType is 400 wijzigen-niet-toegelaten before the backend is asked anything', async () => {
    const created = await create(klantBody('vestiging'));
    const sent = await backendMessagesDuring(async () => {
      for (const method of ['PUT', 'PATCH']) {
        const body = method === 'PUT' ? klantBody('natuurlijk_persoon', { klantnummer: created.body.klantnummer }) : { subjectType: 'natuurlijk_persoon' };
        const r = await h.request(method, pathOf(created), { body });
        expect(r.status).toBe(400);
        expect(r.body.invalidParams).toContainEqual({ name: 'subjectType', code: 'wijzigen-niet-toegelaten', reason: expect.any(String) });
      }
      const invalid = await h.request('PATCH', pathOf(created), { body: { telefoonnummer: 'x'.repeat(21) } });
      expect(invalid.status).toBe(400);
    });
    expect(sent).toBe(0);
  });

  it('kla-001 on update: another klant\'s pair is 400 unique; the klant\'s own pair is fine', async () => {
    const a = await create(klantBody('natuurlijk_persoon', { klantnummer: 'UPD-A' }));
    const b = await create(klantBody('vestiging', { klantnummer: 'UPD-B' }));
    const sent = await backendMessagesDuring(async () => {
      const clash = await h.request('PATCH', pathOf(b), { body: { klantnummer: 'UPD-A' } });
      expect(clash.status).toBe(400);
      expect(clash.body.invalidParams).toEqual([{ name: 'nonFieldErrors', code: 'unique', reason: expect.any(String) }]);
    }, ...KLANT_LK01);
    expect(sent).toBe(0);
    const own = await h.request('PATCH', pathOf(a), { body: { klantnummer: 'UPD-A', voornaam: 'Piet' } });
    expect(own.status).toBe(200);
    const moved = await h.request('PATCH', pathOf(b), { body: { klantnummer: 'UPD-C' } });
    expect(moved.status).toBe(200);
    expect(storedWith(h.simulator, BRON, 'UPD-B')).toHaveLength(0);
    expect(storedWith(h.simulator, BRON, 'UPD-C')).toHaveLength(1);
  });

  it('unknown klant: 404 for PUT, PATCH and DELETE', async () => {
    const created = await create(klantBody('vestiging'));
    expect((await h.request('DELETE', pathOf(created))).status).toBe(204);
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      const r = await h.request(method, pathOf(created), { body: method === 'PUT' ? klantBody('vestiging', { klantnummer: 'X1' }) : method === 'PATCH' ? {} : undefined });
      expect(r.status).toBe(404);
    }
  });

  it('requires klanten.bijwerken', async () => {
    const created = await create(klantBody('vestiging'));
    const r = await h.request('PATCH', pathOf(created), { body: { voornaam: 'x' }, client: 'reader' });
    expect(r.status).toBe(403);
  });

  it('a concurrent change between read and W: the backend answers "object is gewijzigd" → 409', async () => {
    const created = await create(klantBody('natuurlijk_persoon'));
    // Kennisgevingen wait 300 ms before they are applied, questions do not: both PATCHes read the
    // same state; the second W's old object no longer matches once the first is applied.
    h.simulator.setFault({ type: 'latency', ms: 300, messages: ['npsLk01'] });
    const before = rec.counts();
    try {
      const [a, b] = await Promise.all([
        h.request('PATCH', pathOf(created), { body: { telefoonnummer: '0111111111' } }),
        new Promise((r) => setTimeout(r, 100)).then(() => h.request('PATCH', pathOf(created), { body: { telefoonnummer: '0222222222' } })),
      ]);
      expect(a.status).toBe(200);
      expect(b.status).toBe(409);
      expect(b.body.code).toBe('conflict');
      expect(b.body.detail).toMatch(/gewijzigd/i);
    } finally {
      h.simulator.clearFaults();
    }
    expect((await h.get(pathOf(created))).body.telefoonnummer).toBe('0111111111');
    // Only the successful write was audited and notified.
    expect(rec.counts()).toEqual({ audits: before.audits + 1, notifications: before.notifications + 1, invalidations: before.invalidations + 1 });
  });
});

describe('If-Match (conditional writes)', () => {
  it('a stale ETag is 412 and sends no kennisgeving; the current ETag, a list containing it, or * pass', async () => {
    const created = await create(klantBody('vestiging'));
    const etag = created.headers.get('etag') ?? '';
    const changed = await h.request('PATCH', pathOf(created), { body: { voornaam: 'Klaas' }, headers: { 'if-match': etag } });
    expect(changed.status).toBe(200);
    const stale = etag;
    const sent = await backendMessagesDuring(async () => {
      for (const [method, body] of [['PUT', klantBody('vestiging', { klantnummer: created.body.klantnummer })], ['PATCH', { voornaam: 'x' }], ['DELETE', undefined]] as const) {
        const r = await h.request(method, pathOf(created), { body, headers: { 'if-match': stale } });
        expect(r.status).toBe(412);
        expect(r.body.code).toBe('precondition_failed');
      }
      const weak = await h.request('PATCH', pathOf(created), { body: { voornaam: 'x' }, headers: { 'if-match': `W/${changed.headers.get('etag')}` } });
      expect(weak.status).toBe(412);
    }, 'vesLk01');
    expect(sent).toBe(0);
    const current = changed.headers.get('etag') ?? '';
    const read = await h.get(pathOf(created));
    expect(read.headers.get('etag')).toBe(current);
    expect((await h.request('PATCH', pathOf(created), { body: { voornaam: 'A' }, headers: { 'if-match': `"nope", ${current}` } })).status).toBe(200);
    expect((await h.request('PATCH', pathOf(created), { body: { voornaam: 'B' }, headers: { 'if-match': '*' } })).status).toBe(200);
  });

  it('the ETag depends on the public base: one taken through another host does not match', async () => {
    const created = await create(klantBody('vestiging'));
    const viaProxy = await h.get(pathOf(created), { headers: { 'x-forwarded-host': 'klanten.example.nl', 'x-forwarded-proto': 'https' } });
    const r = await h.request('PATCH', pathOf(created), { body: { voornaam: 'x' }, headers: { 'if-match': viaProxy.headers.get('etag') ?? '' } });
    expect(r.status).toBe(412);
    const same = await h.request('PATCH', pathOf(created), {
      body: { voornaam: 'y' },
      headers: { 'if-match': viaProxy.headers.get('etag') ?? '', 'x-forwarded-host': 'klanten.example.nl', 'x-forwarded-proto': 'https' },
    });
    expect(same.status).toBe(200);
    expect(same.body.url).toBe(`https://klanten.example.nl/api/v1/klanten/${idOf(created)}`);
  });
});

describe('klant_delete', () => {
  it.each(SUBJECT_TYPES)('deletes a %s with a V kennisgeving: 204, then 404, gone from the backend', async (type) => {
    const created = await create(klantBody(type));
    const before = rec.counts();
    const r = await h.request('DELETE', pathOf(created));
    expect(r.status).toBe(204);
    expect(r.text).toBe('');
    expect((await h.get(pathOf(created))).status).toBe(404);
    expect(storedWith(h.simulator, BRON, created.body.klantnummer)).toHaveLength(0);
    const V = h.simulator.messages().filter((m) => m.element === LK01[type]).at(-1);
    expect(V?.xml).toMatch(/<(\w+:)?mutatiesoort>V</);
    expect(rec.counts()).toEqual({ audits: before.audits + 1, notifications: before.notifications + 1, invalidations: before.invalidations + 1 });
    expect(rec.audits.at(-1)).toMatchObject({ actie: 'destroy', resultaat: 204, wijzigingen: { oud: created.body, nieuw: null } });
    expect(rec.notifications.at(-1)).toMatchObject({ actie: 'destroy', kenmerken: { subjectType: type } });
  });

  it('requires klanten.verwijderen', async () => {
    const created = await create(klantBody('vestiging'));
    expect((await h.request('DELETE', pathOf(created), { client: 'reader' })).status).toBe(403);
    expect(storedWith(h.simulator, BRON, created.body.klantnummer)).toHaveLength(1);
  });
});

describe('backend refusals', () => {
  it('a value the backend refuses (a BSN it already holds) is 400 with the backend\'s omschrijving', async () => {
    const first = await create(klantBody('natuurlijk_persoon'));
    const bsn = first.body.subjectIdentificatie.inpBsn;
    const before = rec.counts();
    const r = await h.request('POST', '/api/v1/klanten', { body: klantBody('natuurlijk_persoon', { subjectIdentificatie: { inpBsn: bsn, geslachtsnaam: 'Ander' } }) });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('invalid');
    expect(r.body.invalidParams).toEqual([{ name: 'nonFieldErrors', code: 'invalid', reason: expect.stringMatching(/bestaat al/i) }]);
    expect(rec.counts()).toEqual(before);
  });
});

describe('contract', () => {
  it('every response of this file is described by the served OpenAPI document', () => {
    // 201 with Location, 400 ValidatieFout, 404, 409, 412, 413, 415, 422 ... as the document lists them.
    expect(contractProblems(h.responses)).toEqual([]);
  });
});
