// Strict mode (server.strict: true): every extension of the gateway is off together — `fields`,
// relative links (also on upstream routes), If-Match, Idempotency-Key — their parameters are
// ignored the way unknown query parameters are, and the served OpenAPI document is the standard's.
// Each check runs against a default gateway too, so both modes are shown on the same data.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReferenceDocument } from '../../src/oas/reference-document.ts';
import { startHarness, type ApiResponse, type Harness } from '../support/harness.ts';
import { klantBody } from '../support/write-fixtures.ts';

type Json = any;

let strict: Harness;
let open: Harness; // extensions on (the default)
let upstream: http.Server;
let klantPath: string;

/** A one-resource upstream that renders its links from the Host it is asked on. */
async function startUpstream(): Promise<string> {
  upstream = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ url: `http://${req.headers.host}/cm/api/v1/contactmomenten/1`, kanaal: 'balie' }));
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/cm/api/v1`;
}

beforeAll(async () => {
  const target = await startUpstream();
  const upstreams = [{ name: 'contactmomenten', prefix: '/cm/api/v1', target, links: 'relative' }];
  // Both configured with relative links: strict must still answer absolute ones.
  strict = await startHarness({ config: { server: { strict: true, links: 'relative' }, upstreams } });
  open = await startHarness({ sharedSimulator: strict.simulator, config: { server: { links: 'relative' }, upstreams } });
  const list = await strict.get('/api/v1/klanten');
  klantPath = new URL(list.body.results[3].url).pathname;
});

afterAll(async () => {
  await open?.close();
  await strict?.close();
  await new Promise<void>((r) => (upstream ? upstream.close(() => r()) : r()));
});

// klantnummer is required by the standard: the gateway generating one is itself an extension.
let nummer = 0;
const klantnummer = () => `S${String(Date.now() % 100_000).padStart(5, '0')}${++nummer}`.slice(0, 8);

const same = (a: ApiResponse, b: ApiResponse) => ({ text: a.text === b.text, etag: a.headers.get('etag') === b.headers.get('etag') });

describe('fields', () => {
  it('strict: ignored like an unknown query parameter, also when it is not a field name', async () => {
    const plain = await strict.get(klantPath);
    for (const q of ['fields=voornaam', 'fields=bestaatNiet', 'fields=voornaam&fields=x', 'onbekend=1']) {
      const r = await strict.get(`${klantPath}?${q}`);
      expect(r.status, q).toBe(200);
      expect(same(r, plain), q).toEqual({ text: true, etag: true });
    }
    const list = await strict.get('/api/v1/klanten?fields=voornaam');
    expect(Object.keys(list.body.results[0]).length).toBeGreaterThan(10);
    const head = await strict.request('HEAD', `${klantPath}?fields=bestaatNiet`);
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(plain.headers.get('etag'));
  });

  it('default: applied, and a bad name is a 400', async () => {
    const r = await open.get(`${klantPath}?fields=voornaam`);
    expect(Object.keys(r.body)).toEqual(['url', 'voornaam']);
    expect((await open.get(`${klantPath}?fields=bestaatNiet`)).status).toBe(400);
  });
});

describe('links', () => {
  it('strict: absolute although server.links is relative', async () => {
    const r = await strict.get(klantPath);
    expect(r.body.url).toBe(`${strict.gateway.url}${klantPath}`);
    const page = await strict.get('/api/v1/klanten');
    expect(page.body.next).toBe(`${strict.gateway.url}/api/v1/klanten?page=2`);
  });

  it('default: relative as configured', async () => {
    const r = await open.get(klantPath);
    expect(r.body.url).toBe(klantPath);
  });

  it('upstream routes: strict forces absolute links over the route’s relative style', async () => {
    const s = await strict.get('/cm/api/v1/contactmomenten/1');
    expect(s.body.url).toBe(`${strict.gateway.url}/cm/api/v1/contactmomenten/1`);
    const o = await open.get('/cm/api/v1/contactmomenten/1');
    expect(o.body.url).toBe('/cm/api/v1/contactmomenten/1');
  });
});

describe('the served OpenAPI document', () => {
  it('strict: the standard’s document, only `servers` pointing at this gateway', async () => {
    const r = await strict.get('/api/v1/openapi.json', { client: null });
    expect(r.status).toBe(200);
    const { servers, ...rest } = r.body;
    const { servers: refServers, ...reference } = loadReferenceDocument() as Json;
    expect(rest).toEqual(reference);
    expect(refServers).toEqual([{ url: '/api/v1' }]);
    expect(servers).toEqual([{ url: `${strict.gateway.url}/api/v1` }]);
    for (const ext of ['"fields"', 'If-Match', 'Idempotency-Key', 'klantbrug-uitbreiding']) expect(r.text).not.toContain(ext);
  });

  it('default: the extensions are documented (fields on list and read, If-Match, Idempotency-Key)', async () => {
    const r = await open.get('/api/v1/openapi.json', { client: null });
    const paramsOf = (path: string, method: string): string[] =>
      (r.body.paths[path][method].parameters as Json[]).map((p) =>
        p.$ref ? r.body.components.parameters[String(p.$ref).split('/').pop()!].name : p.name,
      );
    expect(paramsOf('/klanten', 'get')).toContain('fields');
    expect(paramsOf('/klanten/{uuid}', 'get')).toContain('fields');
    expect(r.text).toContain('If-Match');
    expect(r.text).toContain('Idempotency-Key');
  });
});

describe('write extensions', () => {
  it('If-Match: strict ignores a stale tag; the default answers 412', async () => {
    const created = await strict.request('POST', '/api/v1/klanten', { body: klantBody('natuurlijk_persoon', { klantnummer: klantnummer() }) });
    expect(created.status, created.text).toBe(201);
    expect(created.headers.get('location')).toBe(created.body.url); // absolute in strict mode
    const path = new URL(created.body.url).pathname;
    const change = { ...created.body, telefoonnummer: '0201234567' };
    delete change.url;
    const stale = { 'if-match': '"verouderd"' };
    const o = await open.request('PUT', path, { body: change, headers: stale });
    expect(o.status).toBe(412);
    const s = await strict.request('PUT', path, { body: change, headers: stale });
    expect(s.status, s.text).toBe(200);
    expect(s.body.telefoonnummer).toBe('0201234567');
  });

  it('Idempotency-Key: strict creates again; the default replays the first answer', async () => {
    const key = { 'idempotency-key': `strict-${Date.now()}` };
    const body = klantBody('niet_natuurlijk_persoon');
    const o1 = await open.request('POST', '/api/v1/klanten', { body, headers: key });
    const o2 = await open.request('POST', '/api/v1/klanten', { body, headers: key });
    expect([o1.status, o2.status]).toEqual([201, 201]);
    expect(o2.body.url).toBe(o1.body.url);
    expect(o2.headers.get('idempotent-replayed')).toBe('true');

    // The same key with another body (a new RSIN and klantnummer: the backend refuses a second
    // klant with ones it holds) is 422 with the extension on; in strict mode just another create.
    const s1 = await strict.request('POST', '/api/v1/klanten', { body: klantBody('niet_natuurlijk_persoon', { klantnummer: klantnummer() }), headers: key });
    const s2 = await strict.request('POST', '/api/v1/klanten', { body: klantBody('niet_natuurlijk_persoon', { klantnummer: klantnummer() }), headers: key });
    expect([s1.status, s2.status]).toEqual([201, 201]);
    expect(s2.body.url).not.toBe(s1.body.url); // the key meant nothing: two klanten
    expect(s2.headers.get('idempotent-replayed')).toBeNull();
  });
});
