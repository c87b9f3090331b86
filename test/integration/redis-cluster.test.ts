// Two gateway instances on a real Redis Cluster (3 masters, started here) and one simulator: every
// Redis user of the gateway — representation cache (Lua and MGET on hash-tagged keys), pub/sub
// invalidation, rate limit, kla-001 counter and claims, Idempotency-Key records, audit trail,
// notification outbox (MULTI, Lua) — against keys spread over three nodes.
import type { Cluster } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResponse, Harness } from '../support/harness.ts';
import { redisServerAvailable, startRedisCluster, type RedisClusterProcess } from '../support/redis-process.ts';
import { cacheCounters as counters, expectSharedCaching, expectWritesSeenAtOnce, parallelCreates, startTwoGateways, type TwoGateways } from '../support/two-gateways.ts';
import { BRON, klantBody, storedWith } from '../support/write-fixtures.ts';
import { startReceiver, until as untilAsync, type Receiver } from '../unit/notifications/receiver.ts';

const hasRedis = redisServerAvailable();
const PREFIX = 'kbc';
const BURST = 150;

let cluster: RedisClusterProcess;
let redis: Cluster;
let receiver: Receiver;
let two: TwoGateways;
let a: Harness;
let b: Harness;
let ids: string[];

const questions = (h: Harness) => h.simulator.stats().requests.total;
const idOf = (r: ApiResponse): string => String(r.body.url).split('/').pop() ?? '';

describe.skipIf(!hasRedis)('two gateway instances on a Redis Cluster of 3 masters', () => {
  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3 });
    redis = cluster.client();
    receiver = await startReceiver();
    const config = {
      redis: { cluster: { nodes: cluster.nodes }, keyPrefix: PREFIX, commandTimeoutMs: 1_000, connectTimeoutMs: 2_000 },
      cache: { ttlSeconds: 60 },
      // Per client, shared by both instances; refill negligible during the test.
      rateLimit: { perClientPerMinute: 1, burst: BURST },
      subjectCheck: { enabled: false },
      notificaties: { url: receiver.url, clientId: 'klantbrug', secret: 'nrc-secret-0123456789', timeoutMs: 2_000 },
    };
    two = await startTwoGateways(config);
    ({ a, b, ids } = two);
  });

  afterEach(() => {
    expect(a.invalidStufMessages()).toEqual([]);
  });

  afterAll(async () => {
    await two?.close();
    await receiver?.close();
    await cluster?.stop();
  });

  it('the cluster spreads the gateway keys over its nodes (hash tags), and /readyz reports Redis up', async () => {
    const ports = await Promise.all([`${PREFIX}:{klant:${ids[0]}}:g`, `${PREFIX}:{lists}:g`, `${PREFIX}:{kla001:${BRON}}:klantnummer`, `${PREFIX}:{rl:test-reader}`].map((k) => cluster.portOf(k)));
    expect(new Set(ports).size).toBeGreaterThan(1);
    for (const h of [a, b]) {
      expect(h.gateway.cache.health()).toMatchObject({ mode: 'redis', degraded: false, redis: { state: 'ready', subscribed: true, errors: 0 } });
      const ready = await fetch(`${h.gateway.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(((await ready.json()) as { checks: { redis: unknown } }).checks.redis).toMatchObject({ status: 'up', state: 'ready', subscribed: true });
    }
  });

  it('PUBLISH on one node reaches a subscriber on another; its reply counts the receiving node only', async () => {
    const [n0, n1] = cluster.servers;
    const sub = n0!.client();
    const pub = n1!.client();
    const got: string[] = [];
    sub.on('message', (_channel: string, message: string) => got.push(message));
    await sub.subscribe('probe');
    expect(await pub.publish('probe', 'via-other-node')).toBe(0);
    await untilAsync(() => got.length === 1, 5_000);
    expect(got).toEqual(['via-other-node']);
    expect(await n0!.client().publish('probe', 'via-own-node')).toBe(1);
    sub.disconnect();
  });

  it('both instances subscribe on one node, so every invalidation waits for the other instance', async () => {
    const perNode = await Promise.all(cluster.servers.map(async (s) => Number(((await s.client().call('PUBSUB', 'NUMSUB', `${PREFIX}:inval`)) as [string, number])[1])));
    expect(perNode.sort((x, y) => x - y)).toEqual([0, 0, 2]);
    for (let i = 0; i < 6; i++) {
      const from = i % 2 ? b : a;
      expect(await from.gateway.cache.invalidateKlant(ids[i]!)).toEqual({ shared: true, receivers: 1, acked: 1 });
    }
  });

  it('an entry filled through A is served by B from Redis, then from B\'s memory', async () => {
    const q = questions(a);
    await expectSharedCaching(a, b, ids[6]!);
    expect(questions(a)).toBe(q + 1); // only A's fill asked the backend
    // Lists too (their keys live in another slot than the klant's).
    const listPath = '/api/v1/klanten?subjectType=vestiging';
    const list = await a.get(listPath);
    const listShared = counters(b).sharedHits;
    expect((await b.get(listPath)).text).toBe(list.text);
    expect(counters(b).sharedHits).toBe(listShared + 1);
  });

  it('a write through A is seen at once through B (klant and list pages)', async () => {
    await expectWritesSeenAtOnce(a, b, ids[7]!, { rounds: 5, listPath: '/api/v1/klanten?subjectType=natuurlijk_persoon' });
    expect(a.gateway.cache.health().redis?.ackTimeouts).toBe(0);
  });

  it('2 × 20 parallel creates without klantnummer on both instances get 40 distinct klantnummers', async () => {
    receiver.accepted.length = 0;
    const answers = await parallelCreates(a, b, 20);
    expect(answers.filter((r) => r.status !== 201).map((r) => `${r.status} ${r.text}`)).toEqual([]);
    const numbers = answers.map((r) => String(r.body.klantnummer));
    expect(new Set(numbers).size).toBe(40);
    for (const n of numbers) expect(storedWith(a.simulator, BRON, n)).toHaveLength(1);
    // One counter in the cluster, at the highest number handed out.
    expect(Number(await redis.get(`${PREFIX}:{kla001:${BRON}}:klantnummer`))).toBe(Math.max(...numbers.map(Number)));
    // Every create announced once, from the outbox in the cluster.
    await untilAsync(() => receiver.accepted.length >= 40, 10_000);
    expect(receiver.accepted.map((r) => String(r.body.resourceUrl).split('/').pop()).sort()).toEqual(answers.map(idOf).sort());
  });

  it('the audit trail of a klant written through A and B is read through either', async () => {
    const created = await a.request('POST', '/api/v1/klanten', { body: klantBody('natuurlijk_persoon') });
    expect(created.status, created.text).toBe(201);
    const id = idOf(created);
    const p = `/api/v1/klanten/${id}`;
    expect((await b.request('PATCH', p, { body: { functie: 'contact' } })).status).toBe(200);
    const viaA = await a.get(`${p}/audittrail`);
    const viaB = await b.get(`${p}/audittrail`);
    expect(viaB.status).toBe(200);
    expect(viaB.body.map((e: { actie: string }) => e.actie)).toEqual(['create', 'partial_update']);
    expect(viaA.body).toEqual(viaB.body);
    const entry = await a.get(`${p}/audittrail/${viaB.body[1].uuid}`);
    expect(entry.status).toBe(200);
    expect(entry.body.wijzigingen.nieuw.functie).toBe('contact');
    expect(await redis.llen(`${PREFIX}:audit:{${id}}`)).toBe(2);
  });

  it('an Idempotency-Key retried on the other instance gets the first answer', async () => {
    const body = klantBody('vestiging');
    const headers = { 'idempotency-key': `cluster-${Date.now()}` };
    const first = await a.request('POST', '/api/v1/klanten', { body, headers });
    const retry = await b.request('POST', '/api/v1/klanten', { body, headers });
    expect(first.status, first.text).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body.klantnummer).toBe(first.body.klantnummer);
    expect(storedWith(a.simulator, BRON, first.body.klantnummer)).toHaveLength(1);
    const reused = await b.request('POST', '/api/v1/klanten', { body: klantBody('vestiging'), headers });
    expect(reused.status).toBe(422);
  });

  it('the rate limit is one budget per client across both instances', async () => {
    expect(a.gateway.rateLimiter?.stats().mode).toBe('redis');
    expect(b.gateway.rateLimiter?.stats().mode).toBe('redis');
    const path = `/api/v1/klanten/${ids[8]}`;
    const statuses: number[] = [];
    for (let i = 0; i < BURST / 2 + 20; i++) {
      statuses.push((await a.get(path, { client: 'reader' })).status, (await b.get(path, { client: 'reader' })).status);
    }
    // Alone, each instance would have let 150 through.
    expect(statuses.filter((s) => s === 200)).toHaveLength(BURST);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40);
    expect(a.gateway.rateLimiter?.stats().failures).toBe(0);
  });
});
