// kla-001 building blocks: the highest numeric klantnummer, counters (seeded once, raised, never
// down) and claims (exclusive until released or expired) — in-process and in a real Redis.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryKlantnummerClaims, RedisKlantnummerClaims, type KlantnummerClaims } from '../../../src/klanten/klantnummer-claims.ts';
import { MemoryKlantnummerCounter, RedisKlantnummerCounter, type KlantnummerCounter } from '../../../src/klanten/klantnummer-counter.ts';
import { highestNumeric } from '../../../src/klanten/klantnummer-uniqueness.ts';
import { MemoryIdempotencyStore, RedisIdempotencyStore, type IdempotencyStore } from '../../../src/klanten/idempotency-store.ts';
import { kla001Key } from '../../../src/klanten/write-redis.ts';
import { startRedis as startRedisServer, type RedisProcess as RedisServer } from '../../support/redis-process.ts';

let server: RedisServer;
let redis: Redis;

beforeAll(async () => {
  server = await startRedisServer();
  redis = new Redis(server.url);
});

afterAll(async () => {
  redis?.disconnect();
  await server?.stop();
});

describe('highestNumeric', () => {
  it('takes numbers of at most 8 digits only', () => {
    expect(highestNumeric(['10000001', 'K0000099', '123456789', '7', 'KL-00005'])).toBe(10_000_001);
    expect(highestNumeric(['K1'])).toBe(0);
  });
});

let prefixSeq = 0;
const counters: [string, () => KlantnummerCounter][] = [
  ['in-process', () => new MemoryKlantnummerCounter()],
  ['redis', () => new RedisKlantnummerCounter(redis, `t${++prefixSeq}`)],
];

describe.each(counters)('klantnummer counter (%s)', (_name, make) => {
  it('asks the seed once per bronorganisatie, also for concurrent first calls, then counts up', async () => {
    const c = make();
    let seeds = 0;
    const seed = async () => {
      seeds++;
      await new Promise((r) => setTimeout(r, 10));
      return 41;
    };
    const first = await Promise.all([c.next('b1', seed), c.next('b1', seed), c.next('b1', seed)]);
    expect(first.sort()).toEqual([42, 43, 44]);
    expect(seeds).toBe(1);
    expect(await c.next('b2', async () => 0)).toBe(1);
  });

  it('raise moves the counter up, never down', async () => {
    const c = make();
    expect(await c.next('b', async () => 5)).toBe(6);
    await c.raise('b', 100);
    expect(await c.next('b', async () => 0)).toBe(101);
    await c.raise('b', 50);
    expect(await c.next('b', async () => 0)).toBe(102);
  });
});

it('two Redis counters (two instances) share one sequence per bronorganisatie', async () => {
  const prefix = `shared${++prefixSeq}`;
  const other = new Redis(server.url);
  try {
    const x = new RedisKlantnummerCounter(redis, prefix);
    const y = new RedisKlantnummerCounter(other, prefix);
    const got = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? x : y).next('b', async () => 1000)));
    expect(new Set(got).size).toBe(50);
    expect(Math.min(...got)).toBe(1001);
    expect(Math.max(...got)).toBe(1050);
  } finally {
    other.disconnect();
  }
});

it('keys of one bronorganisatie share a Redis Cluster hash tag', () => {
  expect(kla001Key('kb', '002220647', 'klantnummer')).toBe('kb:{kla001:002220647}:klantnummer');
});

const claimStores: [string, (ttl: number) => KlantnummerClaims][] = [
  ['in-process', (ttl) => new MemoryKlantnummerClaims(ttl)],
  ['redis', (ttl) => new RedisKlantnummerClaims(redis, `c${++prefixSeq}`, ttl)],
];

describe.each(claimStores)('klantnummer claims (%s)', (_name, make) => {
  it('one holder per pair until released', async () => {
    const claims = make(10_000);
    const c = await claims.tryClaim('b', 'K1');
    expect(c).toBeDefined();
    expect(await claims.tryClaim('b', 'K1')).toBeUndefined();
    expect(await claims.tryClaim('b', 'K2')).toBeDefined();
    expect(await claims.tryClaim('other', 'K1')).toBeDefined();
    await c?.release();
    expect(await claims.tryClaim('b', 'K1')).toBeDefined();
  });

  it('an expired claim is free again, and its late release does not free the new holder', async () => {
    const claims = make(30);
    const old = await claims.tryClaim('b', 'K9');
    await new Promise((r) => setTimeout(r, 60));
    const fresh = await claims.tryClaim('b', 'K9');
    expect(fresh).toBeDefined();
    await old?.release();
    expect(await claims.tryClaim('b', 'K9')).toBeUndefined();
  });
});

/** A client whose SETs reach Redis twice, the caller seeing the second answer: ioredis' resend after a lost reply. */
function resendingClient(): Redis {
  // The connection loss itself cannot be staged between two replies here; the real server runs both SETs.
  const resending = Object.create(redis) as Redis;
  resending.set = (async (...args: Parameters<Redis['set']>) => {
    await (redis.set as (...a: unknown[]) => Promise<unknown>)(...args);
    return (redis.set as (...a: unknown[]) => Promise<unknown>)(...args);
  }) as Redis['set'];
  return resending;
}

describe('idempotency store (redis): a SET resent after its reply was lost', () => {
  it('begin recognises its own pending record; another request with the key still sees it', async () => {
    const prefix = `i${++prefixSeq}`;
    const pending = { state: 'pending' as const, fingerprint: 'f', token: 'mine' };
    expect(await new RedisIdempotencyStore(resendingClient(), prefix).begin('k', pending, 10_000)).toBeUndefined();
    expect(await new RedisIdempotencyStore(redis, prefix).begin('k', { ...pending, token: 'other' }, 10_000)).toEqual(pending);
  });
});

describe('klantnummer claims (redis): a SET resent after its reply was lost', () => {
  it('finds its own claim and holds it; another writer still cannot', async () => {
    const prefix = `c${++prefixSeq}`;
    const claims = new RedisKlantnummerClaims(resendingClient(), prefix, 10_000);
    const mine = await claims.tryClaim('b', 'R1');
    expect(mine).toBeDefined();
    expect(await new RedisKlantnummerClaims(redis, prefix, 10_000).tryClaim('b', 'R1')).toBeUndefined();
    await mine?.release();
    expect(await new RedisKlantnummerClaims(redis, prefix, 10_000).tryClaim('b', 'R1')).toBeDefined();
  });
});

const idemStores: [string, () => IdempotencyStore][] = [
  ['in-process', () => new MemoryIdempotencyStore()],
  ['redis', () => new RedisIdempotencyStore(redis, `i${++prefixSeq}`)],
];

describe.each(idemStores)('idempotency store (%s)', (_name, make) => {
  it('begin stores once; abandon removes only its own pending record; complete replaces it', async () => {
    const s = make();
    const p1 = { state: 'pending' as const, fingerprint: 'f', token: 't1' };
    expect(await s.begin('k', p1, 10_000)).toBeUndefined();
    expect(await s.begin('k', { ...p1, token: 't2' }, 10_000)).toEqual(p1);
    await s.abandon('k', { ...p1, token: 't2' });
    expect(await s.begin('k', { ...p1, token: 't3' }, 10_000)).toEqual(p1);
    const done = { state: 'done' as const, fingerprint: 'f', response: { status: 201, headers: {}, body: '{}' } };
    await s.complete('k', done, 10_000);
    await s.abandon('k', p1);
    expect(await s.begin('k', p1, 10_000)).toEqual(done);
  });
});
