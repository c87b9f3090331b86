// GET answers of REST upstream routes in the representation cache: a real upstream (node:http)
// counting its requests behind a real gateway; its Cache-Control decides whether and how long an
// answer is stored (in memory, and in a real redis-server shared by two gateways).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.ts';
import { redisServerAvailable, startRedis, type RedisProcess } from '../support/redis-process.ts';

/** Cache headers of the upstream's answers under /api/kop/<name>/... (expires-1: Expires 1 s after Date). */
const CACHE_HEADERS: Record<string, Record<string, string>> = {
  'max-age-1': { 'cache-control': 'public, max-age=1' },
  's-maxage-1': { 'cache-control': 'max-age=3600, s-maxage=1' },
  'max-age-2-age-1': { 'cache-control': 'max-age=2', age: '1' },
  'max-age-3600': { 'cache-control': 'max-age=3600' },
  private: { 'cache-control': 'private, max-age=60' },
  'no-cache': { 'cache-control': 'no-cache, max-age=60' },
  'no-store': { 'cache-control': 'max-age=60, no-store' },
  cookie: { 'cache-control': 'max-age=60', 'set-cookie': 'sessie=1; HttpOnly' },
  'vary-star': { 'cache-control': 'max-age=60', vary: '*' },
  'max-age-garbage': { 'cache-control': 'max-age=soon' },
};

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
      const kop = /^\/api\/kop\/([^/]+)\//.exec(url)?.[1];
      if (kop !== undefined) {
        const extra = kop === 'expires-1' ? { expires: new Date(Date.now() + 1_000).toUTCString(), date: new Date().toUTCString() } : CACHE_HEADERS[kop];
        res.writeHead(200, { 'content-type': 'application/json', ...extra });
        return res.end(JSON.stringify({ kop, n: seen.length }));
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
let short: Harness;

beforeAll(async () => {
  up = await startUpstream();
  const upstreams = [{ name: 'dingen', prefix: '/dingen-api', target: `${up.url}/api` }];
  h = await startHarness({ config: { upstreams, server: { trustProxy: ['loopback'] } } });
  off = await startHarness({ config: { upstreams: [{ ...upstreams[0], prefix: '/zonder' }], cache: { ttlSeconds: 0 } } });
  short = await startHarness({ config: { upstreams: [{ ...upstreams[0], prefix: '/kort' }], cache: { ttlSeconds: 1 } } });
});

afterAll(async () => {
  await h?.close();
  await off?.close();
  await short?.close();
  await up?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** GETs `path` through `harness` twice; how many requests for it reached the upstream so far. */
async function twice(harness: Harness, prefix: string, path: string): Promise<number> {
  for (let i = 0; i < 2; i++) expect((await harness.get(`${prefix}${path}`)).status).toBe(200);
  return up.count(path);
}

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

describe('the upstream’s Cache-Control', () => {
  it('never stores what the upstream keeps private, wants revalidated, or cannot vary by key', async () => {
    for (const kop of ['private', 'no-cache', 'no-store', 'cookie', 'vary-star', 'max-age-garbage']) {
      expect(await twice(h, '/dingen-api', `/kop/${kop}/1`), kop).toBe(2);
    }
  });

  it('stores for min(TTL, upstream lifetime): max-age, s-maxage over max-age, max-age minus Age, Expires − Date', async () => {
    const brief = ['max-age-1', 's-maxage-1', 'max-age-2-age-1', 'expires-1'].map((k) => `/kop/${k}/2`);
    const long = '/kop/max-age-3600/2';
    for (const p of [...brief, long]) expect(await twice(h, '/dingen-api', p), p).toBe(1);
    await sleep(1_200); // every upstream lifetime of 1 s is over; the TTL (300 s) is not
    for (const p of brief) expect(await twice(h, '/dingen-api', p), p).toBe(2);
    expect(await twice(h, '/dingen-api', long)).toBe(1);
  });

  it('a TTL shorter than max-age wins', async () => {
    const p = '/kop/max-age-3600/3';
    expect(await twice(short, '/kort', p)).toBe(1);
    await sleep(1_200);
    expect(await twice(short, '/kort', p)).toBe(2);
  });
});

describe.skipIf(!redisServerAvailable())('upstream lifetimes through Redis', () => {
  let redis: RedisProcess;
  let a: Harness;
  let b: Harness;

  beforeAll(async () => {
    redis = await startRedis();
    const config = {
      upstreams: [{ name: 'dingen', prefix: '/gedeeld', target: `${up.url}/api` }],
      server: { trustProxy: ['loopback'] },
      redis: { url: redis.url },
    };
    a = await startHarness({ config });
    b = await startHarness({ config });
    expect(await a.gateway.cache.whenConnected()).toBe(true);
    expect(await b.gateway.cache.whenConnected()).toBe(true);
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.stop();
  });

  it('an answer stored by one gateway is served by the other only within its max-age', async () => {
    // One public host for both, so both use the same key.
    const get = (g: Harness, p: string) => g.get(`/gedeeld${p}`, { headers: { 'x-forwarded-host': 'gw.example' } });
    const p = '/kop/max-age-1/4';
    const first = await get(a, p);
    expect(first.status).toBe(200);
    expect((await get(b, p)).text).toBe(first.text); // from Redis, kept in b's memory for what is left
    expect(up.count(p)).toBe(1);
    await sleep(1_200);
    expect((await get(b, p)).status).toBe(200); // neither Redis nor b's memory may still serve it
    expect((await get(a, p)).status).toBe(200);
    expect(up.count(p)).toBe(2);
  });
});
