// The per-client rate limit of one gateway without Redis (in-process bucket), over HTTP: the Express
// path, cache hits answered before Express, REST upstreams, and what a refused consumer sees.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.ts';

describe('per-client rate limit, in-process', () => {
  let h: Harness;
  let upstream: http.Server;
  let upstreamCalls = 0;
  let klantPath: string;
  const burst = 5;

  beforeAll(async () => {
    upstream = http.createServer((_req, res) => {
      upstreamCalls++;
      // no-store: every request must reach the upstream, so the count shows what the limiter let through.
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end('{"count":0,"results":[]}');
    });
    upstream.listen(0, '127.0.0.1');
    await new Promise((r) => upstream.once('listening', r));
    const target = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/contactmomenten/api/v1`;
    h = await startHarness({
      config: {
        // 60 per minute: one token per second, so a test of a few hundred ms sees no refill worth a request.
        rateLimit: { perClientPerMinute: 60, burst },
        upstreams: [{ name: 'contactmomenten', prefix: '/contactmomenten/api/v1', target }],
      },
    });
    const list = await h.get('/api/v1/klanten?subjectType=natuurlijk_persoon', { client: 'all' });
    klantPath = `/api/v1/klanten/${list.body.results[0].url.split('/').pop()}`;
  });

  afterAll(async () => {
    await h?.close();
    upstream?.closeAllConnections();
    await new Promise((r) => upstream?.close(r));
  });

  it('is in-process without Redis', () => {
    expect(h.gateway.rateLimiter?.stats().mode).toBe('local');
  });

  it('serves `burst` requests, then 429 throttled with Retry-After, counting cache hits answered before Express', async () => {
    await h.get(klantPath, { client: 'writer' }); // fills the cache (1)
    const fastBefore = h.gateway.cache.health().counters.fastPathHits;
    const statuses: number[] = [];
    for (let i = 0; i < burst + 3; i++) statuses.push((await h.get(klantPath, { client: 'writer' })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429, 429, 429]);
    expect(h.gateway.cache.health().counters.fastPathHits - fastBefore).toBe(burst - 1);

    const refused = await h.get(klantPath, { client: 'writer' });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ code: 'throttled', status: 429, title: 'Te veel verzoeken.' });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(1); // one token per second
    expect(refused.headers.get('x-request-id')).toBeTruthy();
  });

  it('counts per client, and a token comes back at the configured rate', async () => {
    expect((await h.get(klantPath, { client: 'reader' })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1_050));
    expect((await h.get(klantPath, { client: 'writer' })).status).toBe(200);
    expect((await h.get(klantPath, { client: 'writer' })).status).toBe(429);
  });

  it('refuses before authorization and before anything reaches an upstream; one budget for API and upstreams', async () => {
    // `nobody` has no scope: admitted requests are 403, refused ones 429.
    const api: number[] = [];
    for (let i = 0; i < 3; i++) api.push((await h.get('/api/v1/klanten', { client: 'nobody' })).status);
    expect(api).toEqual([403, 403, 403]);
    const before = upstreamCalls;
    const proxied: number[] = [];
    for (let i = 0; i < 4; i++) proxied.push((await h.get('/contactmomenten/api/v1/contactmomenten', { client: 'nobody' })).status);
    expect(proxied).toEqual([200, 200, 429, 429]);
    expect(upstreamCalls - before).toBe(2);
  });

  it('does not limit requests without a valid token (they are refused with 401 first) nor the public OAS', async () => {
    for (let i = 0; i < burst + 2; i++) expect((await h.get('/api/v1/klanten', { client: null })).status).toBe(401);
    for (let i = 0; i < burst + 2; i++) expect((await h.get('/api/v1/', { client: null })).status).not.toBe(429);
  });
});
