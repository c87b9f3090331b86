// The representation cache against a real redis-server, driven directly (no HTTP): the ordering
// guarantees that are hard to provoke through a gateway — a read that began before a write never
// stores its result after the write's invalidation, a crashed lock holder never makes others hang,
// damaged entries are misses, and every key fits Redis Cluster hash slots.
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { klantCacheKey, listCacheKey, RepresentationCache, type Representation } from '../../src/cache/index.ts';
import { createLogger } from '../../src/http/index.ts';
import { parseConfig } from '../../src/config/index.ts';
import { strongEtag } from '../../src/representation/etag.ts';
import { redisServerAvailable, startRedis, type RedisProcess } from '../support/redis-process.ts';

const hasRedis = redisServerAvailable();
const logger = createLogger({ level: 'silent' });
let redis: RedisProcess;
let raw: Redis;
const caches: RepresentationCache[] = [];

function rep(text: string): Representation {
  const body = Buffer.from(JSON.stringify({ text }));
  return { body, etag: strongEtag(body) };
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

async function newCache(opts: { lockWaitMs?: number } = {}): Promise<RepresentationCache> {
  const config = parseConfig(
    { identity: { secret: 'x'.repeat(16) }, redis: { url: redis.url, commandTimeoutMs: 500 } },
    { env: {} },
  );
  const cache = new RepresentationCache({
    ttlSeconds: 60,
    l1MaxEntries: 100,
    l1MaxBytes: 1 << 20,
    redis: config.redis,
    namespace: 'test',
    logger,
    ...opts,
  });
  caches.push(cache);
  expect(await cache.whenConnected()).toBe(true);
  return cache;
}

let n = 0;
const freshId = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;

describe.skipIf(!hasRedis)('representation cache on Redis', () => {
  beforeAll(async () => {
    redis = await startRedis();
    raw = new Redis(redis.url);
  });
  afterEach(() => {
    for (const c of caches.splice(0)) c.close();
  });
  afterAll(async () => {
    raw?.disconnect();
    await redis?.stop();
  });

  it('a read that began before a write does not store its (stale) result after the invalidation', async () => {
    const [reader, writer] = [await newCache(), await newCache()];
    const id = freshId();
    const key = klantCacheKey(id, 'https://x/api/v1', '');
    const backend = deferred<Representation>();
    const inFlight = reader.get(key, () => backend.promise); // generation read, backend asked...
    await new Promise((r) => setTimeout(r, 20));
    await writer.invalidateKlant(id); // ...the write happens and is invalidated...
    backend.resolve(rep('old')); // ...and only then the old answer arrives.
    expect((await inFlight).body.toString()).toContain('old'); // that one request may see it
    expect(reader.health().counters.staleStoresRefused).toBe(1);
    let computed = 0;
    for (const c of [reader, writer]) {
      const r = await c.get(key, async () => (computed++, rep('new')));
      expect(r.body.toString()).toContain('new');
    }
    expect(computed).toBe(1); // not stored as old: the reader filled anew, the writer shares it
  });

  it('a request arriving after a write does not join a fill that began before it', async () => {
    const cache = await newCache();
    const id = freshId();
    const key = klantCacheKey(id, 'https://x/api/v1', '');
    const slow = deferred<Representation>();
    const before = cache.get(key, () => slow.promise);
    await new Promise((r) => setTimeout(r, 20));
    await cache.invalidateKlant(id);
    const started = performance.now();
    const after = await cache.get(key, async () => rep('new'));
    expect(after.body.toString()).toContain('new');
    // Nor does it wait for the older fill's lock: locks belong to a generation.
    expect(performance.now() - started).toBeLessThan(300);
    slow.resolve(rep('old'));
    await before;
    expect((await cache.get(key, async () => rep('other'))).body.toString()).toContain('new');
  });

  it('a crashed lock holder makes others wait lockWaitMs at most, then they compute themselves', async () => {
    const [holder, other] = [await newCache(), await newCache({ lockWaitMs: 200 })];
    const key = listCacheKey('https://x/api/v1', `page=${++n}`);
    void holder.get(key, () => new Promise<Representation>(() => {})); // takes the lock, never finishes
    await new Promise((r) => setTimeout(r, 20));
    const started = performance.now();
    const r = await other.get(key, async () => rep('mine'));
    const waited = performance.now() - started;
    expect(r.body.toString()).toContain('mine');
    expect(waited).toBeGreaterThanOrEqual(150);
    expect(waited).toBeLessThan(1_000);
    expect(other.health().counters.lockWaits).toBe(1);
  });

  it('a waiter gets the holder’s result from Redis', async () => {
    const [holder, other] = [await newCache(), await newCache()];
    const key = listCacheKey('https://x/api/v1', `page=${++n}`);
    const backend = deferred<Representation>();
    const first = holder.get(key, () => backend.promise);
    await new Promise((r) => setTimeout(r, 20));
    let computed = false;
    const second = other.get(key, async () => ((computed = true), rep('second')));
    await new Promise((r) => setTimeout(r, 30));
    backend.resolve(rep('first'));
    expect((await first).body.toString()).toContain('first');
    expect((await second).body.toString()).toContain('first');
    expect(computed).toBe(false);
    expect(other.health().counters.lockWaitHits).toBe(1);
  });

  it('keys share the resource’s hash tag; a damaged entry is a miss, never served', async () => {
    const cache = await newCache();
    const id = freshId();
    const key = klantCacheKey(id, 'https://x/api/v1', 'voornaam');
    await cache.get(key, async () => rep('good'));
    const keys = await raw.keys(`kb:*${id}*`);
    expect(keys.length).toBe(2); // generation + entry
    for (const k of keys) expect(k.startsWith(`kb:{klant:${id}}:`)).toBe(true);
    expect(keys.join(' ')).not.toContain('voornaam'); // variant hashed: no request data in names

    const entryKey = keys.find((k) => k.includes(':r:'))!;
    const value = (await raw.getBuffer(entryKey))!;
    const damaged = Buffer.from(value);
    damaged[damaged.length - 3]! ^= 0x20; // flip a bit in the body
    await raw.set(entryKey, damaged);
    const other = await newCache();
    let computed = 0;
    const r = await other.get(key, async () => (computed++, rep('good')));
    expect(computed).toBe(1);
    expect(r.body.toString()).toContain('good');
  });

  it('entries expire with the TTL in Redis and in memory', async () => {
    const config = parseConfig({ identity: { secret: 'x'.repeat(16) }, redis: { url: redis.url } }, { env: {} });
    const cache = new RepresentationCache({ ttlSeconds: 1, l1MaxEntries: 10, l1MaxBytes: 1 << 20, redis: config.redis, namespace: 't', logger });
    caches.push(cache);
    await cache.whenConnected();
    const id = freshId();
    const key = klantCacheKey(id, 'https://x/api/v1', '');
    await cache.get(key, async () => rep('v1'));
    const ttl = await raw.pttl((await raw.keys(`kb:{klant:${id}}:r:*`))[0]!);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(1_000);
    expect(cache.peek(key.local)).toBeDefined();
    await new Promise((r) => setTimeout(r, 1_100));
    expect(cache.peek(key.local)).toBeUndefined();
    expect((await cache.get(key, async () => rep('v2'))).body.toString()).toContain('v2');
  });
});
