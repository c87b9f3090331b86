// "Two StUF dialects, one engine": the core Klanten API behaviour with the gateway speaking
// StUF-ZKN 03.10 contactpersonen (mappings/stuf-zkn-0310-ctp.yaml) to the simulator's ZKN
// endpoint, over real HTTP/SOAP. Every ctpLv01/ctpLk01 the gateway sends is XSD-validated by the
// simulator against the zkn0310 schemas; the simulator's stored CTP objects are what the tests
// compare against.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SimObject } from '../../src/simulator/index.ts';
import { NS } from '../../src/stuf/xml-node.ts';
import { contractProblems } from '../support/contract.ts';
import { collectAll } from '../support/pages.ts';
import { startHarness, type ApiResponse, type Harness } from '../support/harness.ts';
import { BRON, extraOf, klantBody, messageCount, RecordingPorts, SUBJECT_TYPES } from '../support/write-fixtures.ts';

let h: Harness;
const rec = new RecordingPorts();
const CTP_MAPPING = 'mappings/stuf-zkn-0310-ctp.yaml';
const SUBJECT = 'https://handelsregister.example.nl/vestigingen/000012345678';

beforeAll(async () => {
  h = await startHarness({ sector: 'zkn', writePorts: rec.ports(), config: { backend: { mapping: CTP_MAPPING } } });
});

afterEach(() => {
  h.simulator.clearFaults();
  expect(h.invalidStufMessages()).toEqual([]);
});

afterAll(async () => {
  await h?.close();
});

const pathOf = (r: ApiResponse | { url: string }): string => new URL(('body' in r ? r.body.url : r.url) as string).pathname;
const ctpWith = (bron: string, klantnummer: string): SimObject[] =>
  h.simulator.objects('CTP').filter((o) => extraOf(o, 'bronorganisatie') === bron && extraOf(o, 'klantnummer') === klantnummer);

async function create(body: Record<string, unknown>): Promise<ApiResponse> {
  const r = await h.request('POST', '/api/v1/klanten', { body });
  expect(r.status, r.text).toBe(201);
  return r;
}

describe('the gateway speaks StUF-ZKN CTP', () => {
  it('sends only ctp messages, to the ZKN endpoint, and none to the BG one', async () => {
    const before = h.simulator.stats().requests.byMessage;
    await h.get('/api/v1/klanten');
    const after = h.simulator.stats().requests.byMessage;
    expect((after.ctpLv01 ?? 0) - (before.ctpLv01 ?? 0)).toBe(1); // one question answers all three subject types
    for (const m of ['npsLv01', 'nnpLv01', 'vesLv01']) expect(after[m] ?? 0).toBe(0);
    expect(h.simulator.messages().every((m) => m.xml.includes(NS.zkn))).toBe(true);
  });
});

describe('klant_list and klant_read', () => {
  it('lists every demo contactpersoon over the three subject types; pages of 100 hold them all', async () => {
    const { count, items, pages } = await collectAll(h);
    expect(count).toBe(h.simulator.stats().objects.CTP);
    expect(items).toHaveLength(count);
    expect(pages).toHaveLength(1);
    const byType = Object.groupBy(items, (k) => k.subjectType);
    for (const t of SUBJECT_TYPES) expect(byType[t]?.length ?? 0, t).toBeGreaterThanOrEqual(10);
    // A contactpersoon without subject data is still of its subject type, with subjectIdentificatie null.
    expect(items.filter((k) => k.subjectIdentificatie === null).map((k) => k.subjectType).sort()).toEqual(expect.arrayContaining(SUBJECT_TYPES));
  });

  it('paginates with page=N (100 per page), and a page past the end is 404', async () => {
    const r = await h.get('/api/v1/klanten?page=2');
    expect(r.status).toBe(404);
    const created: string[] = [];
    for (let i = 0; i < 70; i++) created.push(pathOf(await create(klantBody(SUBJECT_TYPES[i % 3]!, { klantnummer: `PG${i}` }))));
    const { count, pages } = await collectAll(h);
    expect(count).toBe(h.simulator.stats().objects.CTP);
    expect(pages).toHaveLength(Math.ceil(count / 100));
    expect(pages[0]!.body.results).toHaveLength(100);
    expect(pages[0]!.body.next).toBe(`${h.gateway.url}/api/v1/klanten?page=2`);
    for (const p of created) expect((await h.request('DELETE', p)).status).toBe(204);
  });

  it('filters on subjectType, on the subject identifier (asked in gelijk) and on contact fields', async () => {
    const { items } = await collectAll(h);
    for (const t of SUBJECT_TYPES) {
      const r = await collectAll(h, `?subjectType=${t}`);
      expect(r.items.map((k) => k.url).sort()).toEqual(items.filter((k) => k.subjectType === t).map((k) => k.url).sort());
    }
    const person = items.find((k) => k.subjectIdentificatie?.inpBsn);
    const byBsn = await h.get(`/api/v1/klanten?subjectNatuurlijkPersoon__inpBsn=${person.subjectIdentificatie.inpBsn}`);
    expect(byBsn.body.results.map((k: any) => k.url)).toEqual([person.url]);
    const gelijk = h.simulator.messages().filter((m) => m.element === 'ctpLv01').at(-1)?.xml ?? '';
    expect(gelijk).toMatch(new RegExp(`bsVesNummerOfId[^>]*>${person.subjectIdentificatie.inpBsn}<`));

    const vestiging = items.find((k) => k.subjectIdentificatie?.vestigingsNummer);
    const byVes = await h.get(`/api/v1/klanten?subjectVestiging__vestigingsNummer=${vestiging.subjectIdentificatie.vestigingsNummer}`);
    expect(byVes.body.results.map((k: any) => k.url)).toEqual([vestiging.url]);

    const k = items.find((x) => x.telefoonnummer && x.klantnummer);
    const byContact = await h.get(`/api/v1/klanten?bronorganisatie=${k.bronorganisatie}&klantnummer=${encodeURIComponent(k.klantnummer)}&telefoonnummer=${encodeURIComponent(k.telefoonnummer)}`);
    expect(byContact.body.results.map((x: any) => x.url)).toEqual([k.url]);
    expect((await h.get('/api/v1/klanten?achternaam=Bestaat-Niet-Xyz')).body.count).toBe(0);
  });

  it('reads each klant exactly as the list shows it; HEAD has the GET headers; ETag gives 304', async () => {
    const { items } = await collectAll(h);
    for (const k of [items[0], items[1], items[2], items.at(-1)]) {
      const r = await h.get(pathOf(k));
      expect(r.status).toBe(200);
      expect(r.body).toEqual(k);
    }
    const path = pathOf(items[4]);
    const get = await h.get(path);
    const head = await h.request('HEAD', path);
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    for (const name of ['etag', 'content-type', 'content-length', 'api-version']) expect(head.headers.get(name), name).toBe(get.headers.get(name));
    const etag = get.headers.get('etag') as string;
    const questions = messageCount(h.simulator, 'ctpLv01');
    const cached = await h.get(path, { headers: { 'if-none-match': etag } });
    expect(cached.status).toBe(304);
    expect(cached.headers.get('etag')).toBe(etag);
    expect(messageCount(h.simulator, 'ctpLv01')).toBe(questions);
  });

  it('an id of one subject type does not find a contactpersoon of another', async () => {
    const unknown = await h.get('/api/v1/klanten/5b3c2d7e-1f4a-4c3b-9d2e-8f7a6b5c4d3e');
    expect(unknown.status).toBe(404);
  });
});

describe('writes become ctpLk01 kennisgevingen', () => {
  it.each(SUBJECT_TYPES)('creates a %s (with klantnummer): stored as a CTP with its subject, read back the same', async (type) => {
    const body = klantBody(type, { klantnummer: `CT${type.slice(0, 3)}1` });
    const r = await create(body);
    const { subjectIdentificatie, ...top } = body;
    expect(r.body).toMatchObject(top);
    expect(r.body.subjectIdentificatie).toMatchObject(subjectIdentificatie as object);
    const read = await h.get(pathOf(r));
    expect(read.body).toEqual(r.body);
    const [stored] = ctpWith(BRON, String(body.klantnummer));
    expect(stored?.xml).toContain(`<BG:${{ natuurlijk_persoon: 'natuurlijkPersoon', niet_natuurlijk_persoon: 'nietNatuurlijkPersoon', vestiging: 'vestiging' }[type]} `);
    expect(stored?.xml).toContain('<ZKN:naam>Dijk</ZKN:naam>');
    const T = h.simulator.messages().filter((m) => m.element === 'ctpLk01').at(-1);
    expect(T?.xml).toMatch(/<(\w+:)?mutatiesoort>T</);
  });

  it('creates without klantnummer (generated) and without subject data', async () => {
    const r = await create({ ...klantBody('vestiging'), subject: SUBJECT, subjectIdentificatie: null, klantnummer: undefined });
    expect(r.body.klantnummer).toMatch(/^[0-9]{1,8}$/);
    expect(r.body.subjectType).toBe('vestiging');
    expect(r.body.subjectIdentificatie).toBeNull();
    expect(ctpWith(BRON, r.body.klantnummer)).toHaveLength(1);
    expect((await h.get(pathOf(r))).body).toEqual(r.body);
  });

  it('PUT replaces, PATCH changes one field (only that element in the W), DELETE removes the CTP', async () => {
    const created = await create(klantBody('niet_natuurlijk_persoon', { klantnummer: 'CTPW1' }));
    const put = await h.request('PUT', pathOf(created), {
      body: { ...klantBody('niet_natuurlijk_persoon', { klantnummer: 'CTPW1' }), achternaam: 'Bakker', subject: SUBJECT, subjectIdentificatie: null },
    });
    expect(put.status, put.text).toBe(200);
    expect(put.body).toMatchObject({ achternaam: 'Bakker', subjectIdentificatie: null, subjectType: 'niet_natuurlijk_persoon' });
    expect((await h.get(pathOf(created))).body).toEqual(put.body);

    const patch = await h.request('PATCH', pathOf(created), { body: { functie: 'contactpersoon financiën' } });
    expect(patch.status, patch.text).toBe(200);
    expect(patch.body).toMatchObject({ functie: 'contactpersoon financiën', achternaam: 'Bakker' });
    const W = h.simulator.messages().filter((m) => m.element === 'ctpLk01').at(-1)?.xml ?? '';
    expect(W).toMatch(/<(\w+:)?functie>contactpersoon financiën</);
    expect(W).not.toContain('naam>Bakker<');
    expect(ctpWith(BRON, 'CTPW1')[0]?.xml).toContain('<ZKN:functie>contactpersoon financiën</ZKN:functie>');

    const del = await h.request('DELETE', pathOf(created));
    expect(del.status).toBe(204);
    expect(ctpWith(BRON, 'CTPW1')).toHaveLength(0);
    expect((await h.get(pathOf(created))).status).toBe(404);
  });

  it('a change the backend refuses as stale ("object is gewijzigd", Fo03 StUF066) is 409 conflict', async () => {
    const created = await create(klantBody('natuurlijk_persoon', { klantnummer: 'CTPC1' }));
    h.simulator.setFault({ type: 'latency', ms: 300, messages: ['ctpLk01'] });
    const [a, b] = await Promise.all([
      h.request('PATCH', pathOf(created), { body: { telefoonnummer: '0111111111' } }),
      new Promise((r) => setTimeout(r, 100)).then(() => h.request('PATCH', pathOf(created), { body: { telefoonnummer: '0222222222' } })),
    ]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(409);
    expect(b.body).toMatchObject({ code: 'conflict' });
    expect(b.body.detail).toMatch(/gewijzigd/i);
  });

  it('a Fo02 answering the question is 502 bad_gateway', async () => {
    h.simulator.setFault({ type: 'fo02', messages: ['ctpLv01'], times: 1 });
    const r = await h.get('/api/v1/klanten?klantnummer=none&bronorganisatie=002220647');
    expect(r.status).toBe(502);
    expect(r.body).toMatchObject({ status: 502, code: 'bad_gateway' });
  });
});

describe('contract', () => {
  it('every response of this file is described by the served OpenAPI document', () => {
    expect(contractProblems(h.responses)).toEqual([]);
  });
});
