// Two gateway instances sharing one real redis-server (started here on a free port) and one
// simulator: shared entries, invalidation of writes on every instance before the write answers,
// stampede protection across instances, and Redis killed, paused and restarted mid-run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../support/harness.ts';
import { cacheCounters as counters, expectSharedCaching, expectWritesSeenAtOnce, startTwoGateways, type TwoGateways } from '../support/two-gateways.ts';
import { redisServerAvailable, startRedis, type RedisProcess } from '../support/redis-process.ts';

const hasRedis = redisServerAvailable();
let redis: RedisProcess;
let two: TwoGateways;
let a: Harness;
let b: Harness;
let ids: string[];

const questions = (h: Harness) => h.simulator.stats().requests.total;

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(!hasRedis)('two instances on one Redis', () => {
  beforeAll(async () => {
    redis = await startRedis();
    const config = {
      redis: { url: redis.url, commandTimeoutMs: 200, connectTimeoutMs: 500 },
      cache: { ttlSeconds: 60 },
      subjectCheck: { enabled: false },
    };
    two = await startTwoGateways(config);
    ({ a, b, ids } = two);
  });

  afterAll(async () => {
    await two?.close();
    await redis?.stop();
  });

  it('reports Redis as ready', () => {
    const health = a.gateway.cache.health();
    expect(health.mode).toBe('redis');
    expect(health.degraded).toBe(false);
    expect(health.redis).toMatchObject({ state: 'ready', subscribed: true });
  });

  it('an entry filled through A is served by B without a backend question', async () => {
    const q = questions(a);
    await expectSharedCaching(a, b, ids[0]!);
    expect(questions(a)).toBe(q + 1); // only A's fill asked the backend
  });

  it('a write through A is seen at once through B (klant and list pages)', async () => {
    await expectWritesSeenAtOnce(a, b, ids[1]!, { rounds: 5, listPath: '/api/v1/klanten?subjectType=natuurlijk_persoon' });
  });

  it('invalidateKlant waits for the other instance to confirm, and B asks the backend again', async () => {
    const path = `/api/v1/klanten/${ids[2]}`;
    await b.get(path);
    await b.get(path);
    const outcome = await a.gateway.cache.invalidateKlant(ids[2]!);
    expect(outcome).toEqual({ shared: true, receivers: 1, acked: 1 });
    const fills = counters(b).fills;
    const q = questions(b);
    await b.get(path);
    expect(counters(b).fills).toBe(fills + 1);
    expect(questions(b)).toBe(q + 1);
  });

  it('concurrent misses on both instances cost one backend question', async () => {
    const path = `/api/v1/klanten/${ids[3]}`;
    a.simulator.setFault({ type: 'latency', ms: 150 });
    try {
      const q = questions(a);
      const answers = await Promise.all([
        ...Array.from({ length: 6 }, () => a.get(path)),
        ...Array.from({ length: 6 }, () => b.get(path)),
      ]);
      expect(answers.every((r) => r.status === 200)).toBe(true);
      expect(new Set(answers.map((r) => r.text)).size).toBe(1);
      expect(questions(a) - q).toBe(1);
      expect(counters(a).lockWaits + counters(b).lockWaits).toBe(1);
    } finally {
      a.simulator.clearFaults();
    }
  });

  it('Redis killed mid-run: every request still succeeds; after a restart caching resumes by itself', async () => {
    const paths = ids.slice(4, 12).map((id) => `/api/v1/klanten/${id}`);
    const statuses: number[] = [];
    let running = true;
    const load = (async () => {
      for (let i = 0; running; i++) {
        const h = i % 2 === 0 ? a : b;
        statuses.push((await h.get(paths[i % paths.length]!)).status);
      }
    })();
    await until(() => statuses.length >= 20);
    await redis.kill();
    await until(() => a.gateway.cache.health().degraded && b.gateway.cache.health().degraded);
    const atKill = statuses.length;
    await until(() => statuses.length >= atKill + 40);
    expect(a.gateway.cache.health().redis?.state).toBe('down');
    expect(a.gateway.cache.health().memory.usable).toBe(false); // it could miss invalidations

    await redis.restart();
    expect(await a.gateway.cache.whenConnected(10_000)).toBe(true);
    expect(await b.gateway.cache.whenConnected(10_000)).toBe(true);
    await until(() => !a.gateway.cache.health().degraded && !b.gateway.cache.health().degraded);
    const atRestart = statuses.length;
    await until(() => statuses.length >= atRestart + 40);
    running = false;
    await load;
    expect(statuses.filter((s) => s !== 200)).toEqual([]);

    // Caching works again: filled through A, served by B from Redis, then from memory.
    const path = `/api/v1/klanten/${ids[12]}`;
    await a.get(path);
    const shared = counters(b).sharedHits;
    await b.get(path);
    expect(counters(b).sharedHits).toBe(shared + 1);
    const fastHits = counters(b).fastPathHits;
    await b.get(path);
    expect(counters(b).fastPathHits).toBe(fastHits + 1);
  });

  it('a paused (unresponsive) Redis costs at most a command timeout, never an error', async () => {
    redis.pause();
    try {
      for (const id of ids.slice(13, 18)) {
        const started = performance.now();
        const r = await a.get(`/api/v1/klanten/${id}`);
        expect(r.status).toBe(200);
        expect(performance.now() - started).toBeLessThan(1_500);
      }
      expect(a.gateway.cache.health().redis?.errors).toBeGreaterThan(0);
    } finally {
      redis.resume();
    }
    await until(() => a.gateway.cache.health().redis?.state === 'ready', 5_000);
  });
});
