// kla-001 and Idempotency-Key across gateway instances: two gateways, each with its own Redis
// client, on one real redis-server and one simulator. Generated klantnummers come from one Redis
// counter; claims keep two writes of one pair apart; idempotency records are shared.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { startHarness, type ApiResponse, type Harness } from '../support/harness.ts';
import { startRedis as startRedisServer, type RedisProcess as RedisServer } from '../support/redis-process.ts';
import { BRON, ENTITY, SUBJECT_TYPES, extraOf, klantBody, storedWith } from '../support/write-fixtures.ts';

let redis: RedisServer;
let sim: Simulator;
let a: Harness;
let b: Harness;

beforeAll(async () => {
  redis = await startRedisServer();
  sim = await startSimulator({ port: 0, demo: true, seed: 1, recordMessages: 20_000 });
  const config = {
    redis: { url: redis.url, keyPrefix: 'race' },
    // 100 parallel creates ask several questions each: let them queue rather than be refused.
    backend: { queueLimit: 5_000, maxConcurrent: 32 },
    subjectCheck: { enabled: false },
    // After the burst hundreds of idle keep-alive sockets sit in fetch's pool: let the client's idle
    // timeout (server hint − 1 s) always end them before the server's, or a reuse can race a close.
    server: { keepAliveTimeoutMs: 60_000 },
  };
  a = await startHarness({ sharedSimulator: sim, config });
  b = await startHarness({ sharedSimulator: sim, config });
});

afterEach(() => {
  expect(a.invalidStufMessages()).toEqual([]);
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  await sim?.stop();
  await redis?.stop();
});

describe('two gateway instances on one Redis', () => {
  it('2 × 100 parallel creates without klantnummer get 200 distinct klantnummers, each stored once', async () => {
    const refusedBefore = sim.stats().requests.byAnswer['Fo03'] ?? 0;
    const posts: Promise<ApiResponse>[] = [];
    for (let i = 0; i < 100; i++) {
      for (const h of [a, b]) {
        const type = SUBJECT_TYPES[i % 3] ?? 'vestiging';
        posts.push(h.request('POST', '/api/v1/klanten', { body: klantBody(type) }));
      }
    }
    const answers = await Promise.all(posts);
    // No number was handed out twice: no T ever reached the backend with a taken pair.
    expect((sim.stats().requests.byAnswer['Fo03'] ?? 0) - refusedBefore).toBe(0);
    expect(answers.filter((r) => r.status !== 201).map((r) => `${r.status} ${r.text}`)).toEqual([]);
    const numbers = answers.map((r) => String(r.body.klantnummer));
    expect(new Set(numbers).size).toBe(200);
    for (const n of numbers) {
      expect(n).toMatch(/^[0-9]{1,8}$/);
      expect(storedWith(sim, BRON, n)).toHaveLength(1);
    }
    // And they are where the API says: each answer's subjectType is the entity holding it.
    for (const r of answers.slice(0, 9)) {
      const stored = sim.objects(ENTITY[r.body.subjectType as keyof typeof ENTITY]);
      expect(stored.some((o) => extraOf(o, 'klantnummer') === r.body.klantnummer)).toBe(true);
    }
  });

  it('parallel creates with one explicit klantnummer on both instances: exactly one klant, the rest 400 unique', async () => {
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 ? a : b).request('POST', '/api/v1/klanten', { body: klantBody(SUBJECT_TYPES[i % 3] ?? 'vestiging', { klantnummer: 'RACE-1' }) }),
      ),
    );
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 400, 400, 400, 400, 400, 400, 400, 400, 400]);
    for (const r of answers.filter((x) => x.status === 400)) expect(r.body.invalidParams[0].code).toBe('unique');
    expect(storedWith(sim, BRON, 'RACE-1')).toHaveLength(1);
  });

  it('an Idempotency-Key retried on the other instance gets the first answer', async () => {
    const body = klantBody('niet_natuurlijk_persoon');
    const headers = { 'idempotency-key': 'cross-instance-1' };
    const first = await a.request('POST', '/api/v1/klanten', { body, headers });
    const retry = await b.request('POST', '/api/v1/klanten', { body, headers });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body.klantnummer).toBe(first.body.klantnummer);
    expect(storedWith(sim, BRON, first.body.klantnummer)).toHaveLength(1);
  });

  it('Redis down: creates answer 503 (no unsafe klantnummer); after a restart (counter lost) numbers continue above the backend\'s highest', async () => {
    const last = await a.request('POST', '/api/v1/klanten', { body: klantBody('vestiging') });
    expect(last.status).toBe(201);
    await redis.kill();
    const down = await a.request('POST', '/api/v1/klanten', { body: klantBody('vestiging') });
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBeTruthy();
    // Updates that keep the pair need no klantnummer claim, but the audit trail lives in the same
    // Redis here: without it no write may happen (it would have no trail), so they are refused too.
    const before = sim.stats().requests.byMessage['vesLk01'] ?? 0;
    const patched = await b.request('PATCH', new URL(last.body.url).pathname, { body: { voornaam: 'Zonder Redis' } });
    expect(patched.status).toBe(503);
    expect(sim.stats().requests.byMessage['vesLk01'] ?? 0).toBe(before);

    await redis.restart();
    let after!: ApiResponse;
    for (let i = 0; i < 50; i++) {
      after = await b.request('POST', '/api/v1/klanten', { body: klantBody('vestiging') });
      if (after.status === 201) break;
      await new Promise((r) => setTimeout(r, 100)); // the client reconnects with backoff
    }
    expect(after.status).toBe(201);
    expect(Number(after.body.klantnummer)).toBe(Number(last.body.klantnummer) + 1);
  });
});
