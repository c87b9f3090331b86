// REST upstream routes end to end: a real upstream (a small Contactmomenten/Verzoeken API on
// node:http that renders its links from the Host it is asked on, as ZGW APIs do) behind a real
// gateway. Nested link rewriting both ways, Location, X-Forwarded-*, error passthrough, timeouts,
// ETag/304, streaming, and authentication before anything reaches the upstream.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.ts';

type Json = any;

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

interface Upstream {
  url: string;
  seen: Seen[];
  /** Lets the streaming endpoint send its second half. */
  release(): void;
  close(): Promise<void>;
}

const CM = '/contactmomenten/api/v1';
const VRZ = '/verzoeken/api/v1';
const UUID1 = '3f1a0c1e-6a53-4b0e-9a51-0d6c7a4e2b11';
const UUID2 = '8d2b7f4c-1e9a-4c6d-b3f2-5a7e9c1d0b22';

function problem(res: http.ServerResponse, status: number, body: Record<string, unknown>): void {
  res.writeHead(status, { 'content-type': 'application/problem+json' });
  res.end(JSON.stringify({ type: 'https://ref.tst/fouten/' + status, status, ...body }));
}

async function startUpstream(klantUrl: () => string): Promise<Upstream> {
  const seen: Seen[] = [];
  let releaseStream: () => void = () => {};
  let streamReleased = new Promise<void>((r) => (releaseStream = r));
  const kcms = (base: string) =>
    Array.from({ length: 3 }, (_, i) => ({
      url: `${base}${CM}/klantcontactmomenten/kcm-${i + 1}`,
      contactmoment: `${base}${CM}/contactmomenten/${i % 2 === 0 ? UUID1 : UUID2}`,
      klant: klantUrl(),
      rol: 'belanghebbende',
    }));

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const base = `http://${req.headers.host}`;
      const url = new URL(req.url ?? '/', base);
      const p = url.pathname;
      const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', 'api-version': '1.0.0', ...headers });
        res.end(JSON.stringify(value));
      };

      if (p === `${CM}/contactmomenten/${UUID1}`) {
        return json(200, {
          url: `${base}${CM}/contactmomenten/${UUID1}`,
          bronorganisatie: '123456782',
          kanaal: 'telefoon',
          tekst: `Zie ${base}${CM}/contactmomenten/${UUID1} (text, not a link)`,
          klantcontactmomenten: [`${base}${CM}/klantcontactmomenten/kcm-1`, `${base}${CM}/klantcontactmomenten/kcm-3`],
          objectcontactmomenten: [],
          verzoek: `${base}${VRZ}/verzoeken/vz-1`,
          medewerkerIdentificatie: { identificatie: 'mw-1', details: { self: `${base}${CM}/medewerkers/mw-1` } },
          elders: 'https://elders.example/contactmomenten/api/v1/x',
        });
      }
      if (p === `${CM}/klantcontactmomenten` && req.method === 'GET') {
        const all = kcms(base);
        const wanted = url.searchParams.get('contactmoment');
        const filtered = wanted === null ? all : all.filter((k) => k.contactmoment === wanted);
        const page = Number(url.searchParams.get('page') ?? '1');
        const size = 2;
        const results = filtered.slice((page - 1) * size, page * size);
        const link = (n: number) => `${base}${CM}/klantcontactmomenten?page=${n}`;
        return json(200, {
          count: filtered.length,
          next: page * size < filtered.length ? link(page + 1) : null,
          previous: page > 1 ? link(page - 1) : null,
          results,
        });
      }
      if (p === `${CM}/klantcontactmomenten` && req.method === 'POST') {
        const input = JSON.parse(body) as Record<string, string>;
        if (!String(input.contactmoment ?? '').startsWith(`${base}${CM}/contactmomenten/`)) {
          return problem(res, 400, {
            code: 'invalid',
            title: 'Invalid input.',
            detail: '',
            instance: `urn:uuid:${UUID2}`,
            invalidParams: [{ name: 'contactmoment', code: 'bad-url', reason: 'De URL is geen contactmoment.' }],
          });
        }
        if (!/^https?:\/\//.test(String(input.klant ?? ''))) {
          return problem(res, 400, { code: 'invalid', title: 'Invalid input.', invalidParams: [{ name: 'klant', code: 'bad-url', reason: 'Geen URL.' }] });
        }
        const created = { url: `${base}${CM}/klantcontactmomenten/kcm-new`, ...input };
        return json(201, created, { location: created.url });
      }
      if (p === `${CM}/objectcontactmomenten` && req.method === 'POST') {
        res.writeHead(201, { location: `${CM}/objectcontactmomenten/ocm-9`, 'content-type': 'application/json' });
        return res.end('{}');
      }
      if (p === `${CM}/plain`) {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('{ "zonder": [ "links" ],\n  "getal": 1.50 }\n');
      }
      if (p === `${CM}/gzip`) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        return res.end(gzipSync(JSON.stringify({ url: `${base}${CM}/gzip` })));
      }
      if (p === `${CM}/stream`) {
        res.writeHead(200, { 'content-type': 'text/csv', etag: '"csv-v1"' });
        res.write('a,b\n1,2\n');
        void streamReleased.then(() => {
          res.end('3,4\n');
          streamReleased = new Promise<void>((r) => (releaseStream = r));
        });
        return;
      }
      if (p === `${CM}/slow`) {
        const t = setTimeout(() => json(200, { te: 'laat' }), 3_000);
        res.on('close', () => clearTimeout(t));
        return;
      }
      if (p === `${CM}/deep`) {
        // Valid JSON, nested beyond what the gateway walks (512 levels).
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('{"a":'.repeat(600) + JSON.stringify(`${base}${CM}/x`) + '}'.repeat(600));
      }
      if (p === `${CM}/huge`) {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ url: `${base}${CM}/huge`, vulling: 'x'.repeat(11 * 1024 * 1024) }));
      }
      if (p === `${CM}/error500`) {
        res.writeHead(500, { 'content-type': 'text/html' });
        return res.end('<html><body>Internal Server Error at upstream-host-7</body></html>');
      }
      if (p === `${CM}/problem404`) {
        return problem(res, 404, { code: 'not_found', title: 'Niet gevonden.', detail: 'Geen contactmoment.', instance: `${base}${CM}/problem404` });
      }
      if (p === `${VRZ}/klantverzoeken/kv-1`) {
        return json(200, {
          url: `${base}${VRZ}/klantverzoeken/kv-1`,
          klant: klantUrl(),
          verzoek: `${base}${VRZ}/verzoeken/vz-1`,
          contactmoment: `${base}${CM}/contactmomenten/${UUID1}`,
        });
      }
      res.writeHead(404);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    release: () => releaseStream(),
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

let h: Harness;
let up: Upstream;
let gw: string;
let klant: string;

beforeAll(async () => {
  up = await startUpstream(() => klant);
  const down = await closedPort();
  h = await startHarness({
    config: {
      // Uncached behaviour (every GET reaches the upstream); caching: proxy-cache.test.ts.
      cache: { ttlSeconds: 0 },
      upstreams: [
        { name: 'contactmomenten', prefix: '/cmc/api/v1', target: `${up.url}${CM}`, timeoutMs: 400 },
        { name: 'verzoeken', prefix: VRZ, target: `${up.url}${VRZ}`, links: 'relative' },
        { name: 'weg', prefix: '/weg', target: `http://127.0.0.1:${down}/api` },
      ],
    },
  });
  gw = h.gateway.url;
  const list = await h.get('/api/v1/klanten');
  klant = list.body.results[0].url;
});

afterAll(async () => {
  await h?.close();
  await up?.close();
});

beforeEach(() => {
  up.seen.length = 0;
});

const lastSeen = (): Seen => {
  const s = up.seen.at(-1);
  if (!s) throw new Error('the upstream received nothing');
  return s;
};

/** A request with a path exactly as given (fetch would normalise dot segments away). */
function rawGet(path: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${gw}${path}`, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.path = path;
    req.end();
  });
}

describe('authentication comes first', () => {
  it('401 problem+json without a token or with a bad one; the upstream sees nothing', async () => {
    const none = await h.get(`/cmc/api/v1/contactmomenten/${UUID1}`, { client: null });
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toContain('application/problem+json');
    const bad = await h.get(`/cmc/api/v1/contactmomenten/${UUID1}`, { client: null, headers: { authorization: 'Bearer x.y.z' } });
    expect(bad.status).toBe(401);
    expect(up.seen).toHaveLength(0);
  });

  it('any valid client passes: the upstream authorizes with its own scopes and gets the token as sent', async () => {
    const r = await h.get(`/cmc/api/v1/contactmomenten/${UUID1}`, { client: 'nobody' });
    expect(r.status).toBe(200);
    expect(lastSeen().headers.authorization).toMatch(/^Bearer /);
  });
});

describe('links in upstream answers point at the gateway', () => {
  it('rewrites every nested upstream URL (also of the other upstream) and leaves other strings alone', async () => {
    const r = await h.get(`/cmc/api/v1/contactmomenten/${UUID1}`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      url: `${gw}/cmc/api/v1/contactmomenten/${UUID1}`,
      bronorganisatie: '123456782',
      kanaal: 'telefoon',
      tekst: `Zie ${up.url}${CM}/contactmomenten/${UUID1} (text, not a link)`,
      klantcontactmomenten: [`${gw}/cmc/api/v1/klantcontactmomenten/kcm-1`, `${gw}/cmc/api/v1/klantcontactmomenten/kcm-3`],
      objectcontactmomenten: [],
      verzoek: `${gw}${VRZ}/verzoeken/vz-1`,
      medewerkerIdentificatie: { identificatie: 'mw-1', details: { self: `${gw}/cmc/api/v1/medewerkers/mw-1` } },
      elders: 'https://elders.example/contactmomenten/api/v1/x',
    });
    expect(r.text).not.toContain(`"${up.url}`);
    expect(r.headers.get('api-version')).toBe('1.0.0');
  });

  it('asks the upstream on its own path with X-Forwarded-* describing the public request', async () => {
    const r = await h.get(`/cmc/api/v1/contactmomenten/${UUID1}`);
    const s = lastSeen();
    expect(s.method).toBe('GET');
    expect(s.url).toBe(`${CM}/contactmomenten/${UUID1}`);
    expect(s.headers.host).toBe(new URL(up.url).host);
    expect(s.headers['x-forwarded-host']).toBe(new URL(gw).host);
    expect(s.headers['x-forwarded-proto']).toBe('http');
    expect(s.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(s.headers['x-forwarded-prefix']).toBeUndefined(); // /cmc/api/v1 is no prefix of /contactmomenten/api/v1
    expect(s.headers['x-request-id']).toBe(r.headers.get('x-request-id'));
    expect(s.headers.forwarded).toBeUndefined();
  });

  it('behind a trusted proxy: the forwarded public base, in links and in what the upstream is told', async () => {
    const headers = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'gw.example.nl', 'x-forwarded-prefix': '/ext', 'x-forwarded-for': '203.0.113.7' };
    const r = await h.get(`/cmc/api/v1/contactmomenten/${UUID1}`, { headers });
    expect(r.body.url).toBe(`https://gw.example.nl/ext/cmc/api/v1/contactmomenten/${UUID1}`);
    expect(r.body.verzoek).toBe('https://gw.example.nl/ext/verzoeken/api/v1/verzoeken/vz-1');
    const s = lastSeen();
    expect(s.headers['x-forwarded-host']).toBe('gw.example.nl');
    expect(s.headers['x-forwarded-proto']).toBe('https');
    expect(s.headers['x-forwarded-for']).toBe('203.0.113.7, 127.0.0.1');
    const v = await h.get(`${VRZ}/klantverzoeken/kv-1`, { headers });
    expect(lastSeen().headers['x-forwarded-prefix']).toBe('/ext'); // public /ext/verzoeken/api/v1 = /ext + target path
    expect(v.body.url).toBe('/ext/verzoeken/api/v1/klantverzoeken/kv-1');
  });

  it('next/previous of an upstream list are gateway links that work', async () => {
    const first = await h.get('/cmc/api/v1/klantcontactmomenten');
    expect(first.body.count).toBe(3);
    expect(first.body.next).toBe(`${gw}/cmc/api/v1/klantcontactmomenten?page=2`);
    expect(first.body.results.map((k: Json) => k.contactmoment)).toEqual([
      `${gw}/cmc/api/v1/contactmomenten/${UUID1}`,
      `${gw}/cmc/api/v1/contactmomenten/${UUID2}`,
    ]);
    expect(first.body.results[0].klant).toBe(klant); // a klant of this gateway stays as it is
    const second = await h.get(new URL(first.body.next).pathname + new URL(first.body.next).search);
    expect(second.body.previous).toBe(`${gw}/cmc/api/v1/klantcontactmomenten?page=1`);
    expect(second.body.results).toHaveLength(1);
  });

  it('URL-valued query parameters reach the upstream in its own form', async () => {
    const wanted = `${gw}/cmc/api/v1/contactmomenten/${UUID2}`;
    const r = await h.get(`/cmc/api/v1/klantcontactmomenten?contactmoment=${encodeURIComponent(wanted)}&rol=belanghebbende`);
    expect(r.body.count).toBe(1);
    expect(r.body.results[0].contactmoment).toBe(wanted);
    const s = new URL(lastSeen().url, 'http://x');
    expect(s.searchParams.get('contactmoment')).toBe(`${up.url}${CM}/contactmomenten/${UUID2}`);
    expect(s.searchParams.get('rol')).toBe('belanghebbende');
  });

  it('gzip-compressed JSON is decoded, rewritten and sent uncompressed', async () => {
    const r = await h.get('/cmc/api/v1/gzip');
    expect(r.body).toEqual({ url: `${gw}/cmc/api/v1/gzip` });
    expect(r.headers.get('content-encoding')).toBeNull();
    expect(lastSeen().headers['accept-encoding']).toBe('identity');
  });

  it('JSON without upstream links passes byte for byte', async () => {
    const r = await h.get('/cmc/api/v1/plain');
    expect(r.text).toBe('{ "zonder": [ "links" ],\n  "getal": 1.50 }\n');
  });
});

describe('writes', () => {
  it('body URLs become the upstream’s own (relative klant → absolute); Location and body come back public', async () => {
    const klantPath = new URL(klant).pathname;
    const r = await h.request('POST', '/cmc/api/v1/klantcontactmomenten', {
      body: { contactmoment: `${gw}/cmc/api/v1/contactmomenten/${UUID1}`, klant: klantPath, rol: 'gesprekspartner' },
    });
    expect(r.status, r.text).toBe(201);
    const sent = JSON.parse(lastSeen().body);
    expect(sent).toEqual({ contactmoment: `${up.url}${CM}/contactmomenten/${UUID1}`, klant, rol: 'gesprekspartner' });
    expect(r.headers.get('location')).toBe(`${gw}/cmc/api/v1/klantcontactmomenten/kcm-new`);
    expect(r.body).toEqual({
      url: `${gw}/cmc/api/v1/klantcontactmomenten/kcm-new`,
      contactmoment: `${gw}/cmc/api/v1/contactmomenten/${UUID1}`,
      klant,
      rol: 'gesprekspartner',
    });
    expect(r.headers.get('etag')).toBeNull();
  });

  it('a path-only Location of the upstream is resolved and rewritten', async () => {
    const r = await h.request('POST', '/cmc/api/v1/objectcontactmomenten', { body: {} });
    expect(r.status).toBe(201);
    expect(r.headers.get('location')).toBe(`${gw}/cmc/api/v1/objectcontactmomenten/ocm-9`);
  });
});

describe('errors', () => {
  it('an upstream problem passes through with its status and its links rewritten', async () => {
    const r = await h.get('/cmc/api/v1/problem404');
    expect(r.status).toBe(404);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.body).toMatchObject({ code: 'not_found', detail: 'Geen contactmoment.', instance: `${gw}/cmc/api/v1/problem404` });
  });

  it('an upstream validation error (400 with invalidParams) reaches the client unchanged', async () => {
    const r = await h.request('POST', '/cmc/api/v1/klantcontactmomenten', {
      body: { contactmoment: 'https://elders.example/contactmomenten/1', klant },
    });
    expect(r.status).toBe(400);
    expect(r.body.invalidParams).toEqual([{ name: 'contactmoment', code: 'bad-url', reason: 'De URL is geen contactmoment.' }]);
  });

  it('a non-JSON 5xx becomes a 502 problem that does not show the upstream page', async () => {
    const r = await h.get('/cmc/api/v1/error500');
    expect(r.status).toBe(502);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.body).toMatchObject({ status: 502, code: 'bad_gateway' });
    expect(r.text).not.toContain('upstream-host-7');
  });

  it('a bodiless 4xx keeps its status as a gateway problem', async () => {
    const r = await h.get('/cmc/api/v1/bestaat-niet');
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('a slow upstream → 504 problem after the route timeout', async () => {
    const started = performance.now();
    const r = await h.get('/cmc/api/v1/slow');
    const took = performance.now() - started;
    expect(r.status).toBe(504);
    expect(r.body).toMatchObject({ status: 504, code: 'gateway_timeout' });
    expect(took).toBeGreaterThanOrEqual(350);
    expect(took).toBeLessThan(2_000);
  });

  it('an unreachable upstream → 502 problem', async () => {
    const r = await h.get('/weg/iets');
    expect(r.status).toBe(502);
    expect(r.body).toMatchObject({ code: 'bad_gateway' });
  });

  it('JSON nested too deeply to rewrite, or larger than 10 MiB → 502; the gateway keeps serving', async () => {
    for (const path of ['/cmc/api/v1/deep', '/cmc/api/v1/huge']) {
      const r = await h.get(path);
      expect(r.status, path).toBe(502);
      expect(r.body).toMatchObject({ code: 'bad_gateway' });
    }
    expect((await h.get(`/cmc/api/v1/contactmomenten/${UUID1}`)).status).toBe(200);
  });

  it('dot segments and encoded slashes never reach the upstream: 400', async () => {
    const token = h.token();
    for (const path of ['/cmc/api/v1/../../admin', '/cmc/api/v1/%2e%2e/%2E%2E/admin', '/cmc/api/v1/a%2f..%2fb', '/cmc/api/v1/a//b']) {
      const r = await rawGet(path, token);
      expect(r.status, path).toBe(400);
    }
    expect(up.seen).toHaveLength(0);
  });
});

describe('caching headers', () => {
  const path = `/cmc/api/v1/contactmomenten/${UUID1}`;

  it('a strong ETag over the rewritten bytes; If-None-Match → 304 decided by the gateway', async () => {
    const a = await h.get(path);
    const etag = a.headers.get('etag');
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
    expect(a.headers.get('cache-control')).toBe('private, no-cache');
    expect(a.headers.get('vary')).toContain('X-Forwarded-Host');
    const b = await h.get(path, { headers: { 'if-none-match': etag! } });
    expect(b.status).toBe(304);
    expect(b.text).toBe('');
    expect(b.headers.get('etag')).toBe(etag);
    expect(lastSeen().headers['if-none-match']).toBeUndefined();
    const c = await h.get(path, { headers: { 'if-none-match': '"iets-anders"' } });
    expect(c.status).toBe(200);
  });

  it('two X-Forwarded-Host values: different urls and different ETags', async () => {
    const a = await h.get(path, { headers: { 'x-forwarded-host': 'a.example' } });
    const b = await h.get(path, { headers: { 'x-forwarded-host': 'b.example' } });
    expect(a.body.url).toBe(`http://a.example/cmc/api/v1/contactmomenten/${UUID1}`);
    expect(b.body.url).toBe(`http://b.example/cmc/api/v1/contactmomenten/${UUID1}`);
    expect(a.headers.get('etag')).not.toBe(b.headers.get('etag'));
    const cross = await h.get(path, { headers: { 'x-forwarded-host': 'b.example', 'if-none-match': a.headers.get('etag')! } });
    expect(cross.status).toBe(200);
  });

  it('HEAD answers GET’s headers (asked upstream as GET)', async () => {
    const get = await h.get(path);
    const head = await h.request('HEAD', path);
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    expect(lastSeen().method).toBe('GET');
    for (const name of ['etag', 'content-length', 'content-type']) expect(head.headers.get(name), name).toBe(get.headers.get(name));
  });
});

describe('streaming', () => {
  it('a non-JSON answer streams: the first bytes arrive before the upstream has finished', async () => {
    const res = await fetch(`${gw}/cmc/api/v1/stream`, { headers: { authorization: `Bearer ${h.token()}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe('"csv-v1"');
    const reader = res.body!.getReader();
    const first = await reader.read(); // would hang if the gateway buffered: the upstream waits for us
    expect(new TextDecoder().decode(first.value)).toBe('a,b\n1,2\n');
    up.release();
    let rest = '';
    for (let c = await reader.read(); !c.done; c = await reader.read()) rest += new TextDecoder().decode(c.value);
    expect(rest).toBe('3,4\n');
  });

  it('a stream that stalls longer than the route timeout is cut off, never ended as if complete', async () => {
    const res = await fetch(`${gw}/cmc/api/v1/stream`, { headers: { authorization: `Bearer ${h.token()}` } });
    const reader = res.body!.getReader();
    await reader.read();
    const started = performance.now();
    await expect(reader.read()).rejects.toThrow(); // the upstream waits; the gateway gives up after 400 ms
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);
    up.release();
  });

  it('If-None-Match is evaluated against the upstream’s tag of a streamed answer', async () => {
    const r = await h.get('/cmc/api/v1/stream', { headers: { 'if-none-match': '"csv-v1"' } });
    expect(r.status).toBe(304);
    up.release();
  });
});

describe('relative links per route', () => {
  it('the verzoeken route renders links relative, also the klant and the other upstream’s links', async () => {
    const r = await h.get(`${VRZ}/klantverzoeken/kv-1`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      url: `${VRZ}/klantverzoeken/kv-1`,
      klant: new URL(klant).pathname,
      verzoek: `${VRZ}/verzoeken/vz-1`,
      contactmoment: `/cmc/api/v1/contactmomenten/${UUID1}`,
    });
  });
});
