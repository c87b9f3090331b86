// GET answers of REST upstream routes in the representation cache: a real upstream (node:http)
// counting its requests behind a real gateway.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.ts';

interface Upstream {
  url: string;
  count(pathPrefix: string): number;
  close(): Promise<void>;
}

async function startUpstream(): Promise<Upstream> {
  const seen: string[] = [];
  let version = 1;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const url = req.url ?? '/';
      seen.push(`${req.method} ${url}`);
      const base = `http://${req.headers.host}/api`;
      if (req.method === 'POST') {
        version++;
        res.writeHead(201, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ url: `${base}/dingen/nieuw` }));
      }
      if (url.startsWith('/api/fout')) {
        res.writeHead(503, { 'content-type': 'application/problem+json' });
        return res.end(JSON.stringify({ status: 503, title: 'even niet' }));
      }
      if (url.startsWith('/api/nostore')) {
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        return res.end(JSON.stringify({ n: seen.length }));
      }
      res.writeHead(200, { 'content-type': 'application/json', 'api-version': '1.2.3', 'x-intern': 'geheim' });
      res.end(JSON.stringify({ url: `${base}${url.slice(4)}`, version, client: req.headers.authorization?.length }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    count: (p) => seen.filter((s) => s.startsWith(`GET /api${p}`)).length,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

let up: Upstream;
let h: Harness;
let off: Harness;

beforeAll(async () => {
  up = await startUpstream();
  const upstreams = [{ name: 'dingen', prefix: '/dingen-api', target: `${up.url}/api` }];
  h = await startHarness({ config: { upstreams, server: { trustProxy: ['loopback'] } } });
  off = await startHarness({ config: { upstreams: [{ ...upstreams[0], prefix: '/zonder' }], cache: { ttlSeconds: 0 } } });
});

afterAll(async () => {
  await h?.close();
  await off?.close();
  await up?.close();
});

describe('upstream GET answers are cached', () => {
  it('the second GET is served without an upstream call, same bytes, headers and ETag', async () => {
    const a = await h.get('/dingen-api/dingen/1');
    const b = await h.get('/dingen-api/dingen/1');
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(up.count('/dingen/1')).toBe(1);
    expect(b.text).toBe(a.text);
    expect(b.headers.get('etag')).toBe(a.headers.get('etag'));
    expect(b.headers.get('content-type')).toBe('application/json');
    expect(b.headers.get('api-version')).toBe('1.2.3');
    expect(b.body.url).toBe(`${h.gateway.url}/dingen-api/dingen/1`);
    const c = await h.get('/dingen-api/dingen/1', { headers: { 'if-none-match': a.headers.get('etag')! } });
    expect(c.status).toBe(304);
    expect(up.count('/dingen/1')).toBe(1);
  });

  it('different clients do not share entries', async () => {
    await h.get('/dingen-api/dingen/2', { client: 'reader' });
    await h.get('/dingen-api/dingen/2', { client: 'writer' });
    await h.get('/dingen-api/dingen/2', { client: 'reader' });
    expect(up.count('/dingen/2')).toBe(2);
  });

  it('a different X-Forwarded-Host gives a different url and ETag', async () => {
    const a = await h.get('/dingen-api/dingen/3', { headers: { 'x-forwarded-host': 'a.example' } });
    const b = await h.get('/dingen-api/dingen/3', { headers: { 'x-forwarded-host': 'b.example' } });
    expect(a.body.url).toBe('http://a.example/dingen-api/dingen/3');
    expect(b.body.url).toBe('http://b.example/dingen-api/dingen/3');
    expect(a.headers.get('etag')).not.toBe(b.headers.get('etag'));
    expect(up.count('/dingen/3')).toBe(2);
  });

  it('a POST through the route invalidates every stored answer of the upstream', async () => {
    const a = await h.get('/dingen-api/dingen/4');
    await h.get('/dingen-api/dingen/4');
    expect(up.count('/dingen/4')).toBe(1);
    const post = await h.request('POST', '/dingen-api/dingen', { body: { naam: 'x' } });
    expect(post.status).toBe(201);
    const b = await h.get('/dingen-api/dingen/4');
    expect(up.count('/dingen/4')).toBe(2);
    expect(b.body.version).toBe(a.body.version + 1);
  });

  it('upstream error answers and no-store answers are not stored', async () => {
    expect((await h.get('/dingen-api/fout')).status).toBe(503);
    expect((await h.get('/dingen-api/fout')).status).toBe(503);
    expect(up.count('/fout')).toBe(2);
    await h.get('/dingen-api/nostore');
    await h.get('/dingen-api/nostore');
    expect(up.count('/nostore')).toBe(2);
  });

  it('TTL 0 disables caching', async () => {
    await off.get('/zonder/dingen/5');
    await off.get('/zonder/dingen/5');
    expect(up.count('/dingen/5')).toBe(2);
  });
});
