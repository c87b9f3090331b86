// The per-client rate limit shared through a real redis-server (started here on a free port):
// the limiter on its own (exact budget across instances, refill, Retry-After, round trips per
// request, a hung Redis), then two gateway instances sharing one budget, Redis killed (still
// limited, per instance, never a 5xx) and restarted (shared again).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisClient, type RedisClient } from '../../src/cache/redis-connection.ts';
import { parseConfig } from '../../src/config/index.ts';
import { createLogger } from '../../src/http/logger.ts';
import type { RateDecision, RateLimiter } from '../../src/http/rate-limit.ts';
import { SharedRateLimiter } from '../../src/http/rate-limit-redis.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import { redisServerAvailable, startRedis, type RedisProcess } from '../support/redis-process.ts';

const hasRedis = redisServerAvailable();
const logger = createLogger({ level: 'silent' });

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const allowed = (decisions: RateDecision[]) => decisions.filter((d) => d.ok).length;

describe.skipIf(!hasRedis)('SharedRateLimiter on a real Redis', () => {
  let redis: RedisProcess;
  const clients: RedisClient[] = [];
  let prefix = 0;

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await redis?.stop();
  });

  async function limiter(limit: { perClientPerMinute: number; burst: number }, opts: { batch?: number; keyPrefix?: string } = {}) {
    const redisConfig = parseConfig({ identity: { secret: 'x'.repeat(16) }, redis: { url: redis.url, commandTimeoutMs: 300 } }, { env: {} }).redis;
    const client = createRedisClient(redisConfig, 'rate-limit-test');
    client.on('error', () => {});
    clients.push(client);
    await until(() => client.status === 'ready');
    const shared = new SharedRateLimiter({ limit, redis: client, keyPrefix: opts.keyPrefix ?? `t${prefix}`, logger, ...(opts.batch !== undefined ? { batch: opts.batch } : {}) });
    return { shared, client };
  }

  async function takeMany(l: RateLimiter, key: string, n: number): Promise<RateDecision[]> {
    const out: RateDecision[] = [];
    for (let i = 0; i < n; i++) out.push(await l.take(key));
    return out;
  }

  it('three instances never hand out more than the burst together, to the token', async () => {
    prefix++;
    // 1 per minute: no noticeable refill during the test.
    const limit = { perClientPerMinute: 1, burst: 100 };
    const ls = await Promise.all([limiter(limit, { batch: 7 }), limiter(limit, { batch: 7 }), limiter(limit, { batch: 7 })]);
    const results: RateDecision[] = [];
    // Interleaved, partly concurrent: 3 × 60 requests for one budget of 100.
    for (let round = 0; round < 60; round++) {
      results.push(...(await Promise.all(ls.map(({ shared }) => shared.take('zaaksysteem')))));
    }
    expect(allowed(results)).toBe(100);
    // Each instance asked Redis about once per batch (7), not once per request.
    const reservations = ls.map(({ shared }) => shared.stats().reservations);
    expect(reservations.reduce((a, b) => a + b, 0)).toBeLessThan(60);
    // Clients are counted apart; the key carries a Cluster hash tag per client.
    expect((await ls[0]!.shared.take('other')).ok).toBe(true);
    expect(await ls[0]!.client.exists(`t${prefix}:{rl:zaaksysteem}`)).toBe(1);
  });

  it('an instance holds at most a tenth of the burst unspent, however busy the client is there', async () => {
    prefix++;
    const limit = { perClientPerMinute: 1, burst: 100 };
    const [a, b] = await Promise.all([limiter(limit, { batch: 2 }), limiter(limit, { batch: 2 })]);
    let usedA = 0;
    for (let round = 0; round < 5; round++) {
      // Ten at once per round: a demand per round trip that makes the reservation target grow.
      usedA += allowed(await Promise.all([...Array(10)].map(() => a!.shared.take('c'))));
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(usedA).toBe(50);
    let usedB = 0;
    while ((await b!.shared.take('c')).ok) usedB++;
    // What A reserved and did not spend is missing for B: at most burst/10.
    expect(usedB).toBeGreaterThanOrEqual(100 - 50 - 10);
    expect(usedB).toBeLessThanOrEqual(50);
    while ((await a!.shared.take('c')).ok) usedA++;
    expect(usedA + usedB).toBe(100);
  });

  it('refuses with the time until a token is back, and refills at the configured rate', async () => {
    prefix++;
    // 600 per minute = one token per 100 ms.
    const { shared } = await limiter({ perClientPerMinute: 600, burst: 5 }, { batch: 1 });
    expect(allowed(await takeMany(shared, 'c', 5))).toBe(5);
    const refused = await shared.take('c');
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.retryAfterSeconds).toBeGreaterThan(0);
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(0.1);
    }
    await new Promise((r) => setTimeout(r, 350));
    const later = await takeMany(shared, 'c', 6);
    expect(allowed(later)).toBeGreaterThanOrEqual(3);
    expect(allowed(later)).toBeLessThanOrEqual(4);
  });

  it('decides most requests without waiting: one Redis round trip per batch', async () => {
    prefix++;
    const { shared } = await limiter({ perClientPerMinute: 600_000, burst: 5_000 }); // default batch: 50
    let sync = 0;
    let ok = 0;
    for (let i = 0; i < 2_000; i++) {
      const d = shared.take('busy');
      if (!('then' in d)) sync++;
      if ((await d).ok) ok++;
      if (i % 50 === 0) await new Promise((r) => setImmediate(r)); // let background reservations land
    }
    expect(ok).toBe(2_000);
    const stats = shared.stats();
    expect(stats.mode).toBe('redis');
    expect(stats.reservations).toBeLessThan(2_000 / 20);
    expect(sync).toBeGreaterThan(2_000 * 0.95);
    expect(stats.waits).toBe(2_000 - sync);
  });

  it('a hung Redis costs at most the timeout, then requests are limited in-process; no rejection', async () => {
    prefix++;
    const { shared } = await limiter({ perClientPerMinute: 60, burst: 3 }, { batch: 1 });
    expect((await shared.take('h')).ok).toBe(true);
    redis.pause();
    try {
      const started = performance.now();
      const decisions = await takeMany(shared, 'h', 6);
      expect(performance.now() - started).toBeLessThan(1_500);
      // The in-process bucket (burst 3) now decides; the token reserved before may be spent too.
      expect(allowed(decisions)).toBeGreaterThanOrEqual(3);
      expect(allowed(decisions)).toBeLessThanOrEqual(4);
      expect(shared.stats().mode).toBe('local');
      expect(shared.stats().failures).toBeGreaterThanOrEqual(1);
    } finally {
      redis.resume();
    }
  });
});

describe.skipIf(!hasRedis)('two gateway instances on one Redis', () => {
  let redis: RedisProcess;
  let a: Harness;
  let b: Harness;
  const burst = 20;

  beforeAll(async () => {
    redis = await startRedis();
    const config = {
      redis: { url: redis.url, commandTimeoutMs: 200, connectTimeoutMs: 500 },
      rateLimit: { perClientPerMinute: 1, burst },
      subjectCheck: { enabled: false },
    };
    a = await startHarness({ config });
    b = await startHarness({ config, sharedSimulator: a.simulator });
  });

  afterAll(async () => {
    await b?.close();
    await a?.close();
    await redis?.stop();
  });

  it('share one budget per client (cache fast path included), 429 throttled with Retry-After beyond it', async () => {
    expect(a.gateway.rateLimiter?.stats().mode).toBe('redis');
    const list = (await a.get('/api/v1/klanten?subjectType=natuurlijk_persoon', { client: 'reader' })).body;
    const path = `/api/v1/klanten/${list.results[0].url.split('/').pop()}`;
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      statuses.push((await a.get(path, { client: 'reader' })).status, (await b.get(path, { client: 'reader' })).status);
    }
    // 1 list call + 19 reads fit the budget of 20; the remaining 21 of 40 are refused.
    expect(statuses.filter((s) => s === 200)).toHaveLength(burst - 1);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40 - (burst - 1));
    // Reads were answered from memory before Express, and still counted.
    expect(a.gateway.cache.health().counters.fastPathHits + b.gateway.cache.health().counters.fastPathHits).toBeGreaterThan(5);
    const refused = await b.get(path, { client: 'reader' });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ code: 'throttled', status: 429 });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Another client has its own budget.
    expect((await b.get(path, { client: 'all' })).status).toBe(200);
  });

  it('with Redis killed each instance still limits (in-process), without a 5xx; restarted, the budget is shared again', async () => {
    await redis.kill();
    await until(() => a.gateway.rateLimiter?.stats().mode === 'local');
    const statuses: number[] = [];
    for (let i = 0; i < burst + 10; i++) statuses.push((await a.get('/api/v1/klanten?subjectType=vestiging', { client: 'writer' })).status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    // The in-process bucket of this instance starts full: burst, then 429.
    expect(statuses.filter((s) => s === 200)).toHaveLength(burst);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);

    await redis.restart();
    await until(() => a.gateway.rateLimiter?.stats().mode === 'redis' && b.gateway.rateLimiter?.stats().mode === 'redis');
    // The restarted Redis is empty: a fresh shared budget of 20 for both instances together.
    const after: number[] = [];
    for (let i = 0; i < 15; i++) {
      after.push((await a.get('/api/v1/klanten?subjectType=vestiging', { client: 'nobody' })).status);
      after.push((await b.get('/api/v1/klanten?subjectType=vestiging', { client: 'nobody' })).status);
    }
    // `nobody` has no scope: 403 once admitted, 429 once the shared budget is spent.
    expect(after.filter((s) => s === 403)).toHaveLength(burst);
    expect(after.filter((s) => s === 429)).toHaveLength(30 - burst);
  });
});
