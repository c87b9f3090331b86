// The cache without Redis (in-process tier only): coalescing, invalidation, the epoch guard.
import { describe, expect, it } from 'vitest';
import { klantCacheKey, listCacheKey, RepresentationCache, type Representation } from '../../../src/cache/index.ts';
import { createLogger } from '../../../src/http/index.ts';
import { strongEtag } from '../../../src/representation/etag.ts';

const logger = createLogger({ level: 'silent' });
const ID = '00000000-0000-4000-8000-000000000001';

function rep(text: string): Representation {
  const body = Buffer.from(text);
  return { body, etag: strongEtag(body) };
}

function cache(ttlSeconds = 60) {
  return new RepresentationCache({ ttlSeconds, l1MaxEntries: 100, l1MaxBytes: 1 << 20, namespace: 't', logger });
}

describe('representation cache, in-process only', () => {
  it('serves the stored bytes until a write invalidates the klant (all variants) or the lists', async () => {
    const c = cache();
    const k1 = klantCacheKey(ID, 'https://a/api/v1', '');
    const k2 = klantCacheKey(ID, 'https://a/api/v1', 'voornaam');
    const l = listCacheKey('https://a/api/v1', '');
    let n = 0;
    const make = async () => rep(`v${++n}`);
    expect((await c.get(k1, make)).body.toString()).toBe('v1');
    expect((await c.get(k2, make)).body.toString()).toBe('v2');
    expect((await c.get(l, make)).body.toString()).toBe('v3');
    expect((await c.get(k1, make)).body.toString()).toBe('v1');
    expect(await c.invalidateLists()).toEqual({ shared: false, receivers: 0, acked: 0 });
    expect((await c.get(k1, make)).body.toString()).toBe('v1');
    expect((await c.get(l, make)).body.toString()).toBe('v4');
    await c.invalidateKlant(ID.toUpperCase());
    expect((await c.get(k1, make)).body.toString()).toBe('v5');
    expect((await c.get(k2, make)).body.toString()).toBe('v6');
    expect((await c.get(l, make)).body.toString()).toBe('v7'); // a klant write changes list pages too
    expect(c.health()).toMatchObject({ mode: 'memory', degraded: false, redis: undefined });
  });

  it('N concurrent misses run one computation; a failure is shared and not stored', async () => {
    const c = cache();
    const key = klantCacheKey(ID, 'r', '');
    let runs = 0;
    const slow = () => new Promise<Representation>((r) => setTimeout(() => r(rep(`run${++runs}`)), 20));
    const all = await Promise.all(Array.from({ length: 10 }, () => c.get(key, slow)));
    expect(runs).toBe(1);
    expect(new Set(all.map((r) => r.body.toString()))).toEqual(new Set(['run1']));
    expect(c.health().counters.coalesced).toBe(9);

    const other = klantCacheKey(ID, 'other', '');
    const failing = Promise.allSettled([1, 2].map(() => c.get(other, () => Promise.reject(new Error('down')))));
    expect((await failing).map((s) => s.status)).toEqual(['rejected', 'rejected']);
    expect((await c.get(other, async () => rep('ok'))).body.toString()).toBe('ok');
  });

  it('a fill that was running when a write invalidated is not kept', async () => {
    const c = cache();
    const key = klantCacheKey(ID, 'r', '');
    let release!: (r: Representation) => void;
    const running = c.get(key, () => new Promise((r) => (release = r)));
    await c.invalidateKlant(ID);
    release(rep('before the write'));
    await running;
    expect(c.peek(key.local)).toBeUndefined();
    expect((await c.get(key, async () => rep('after'))).body.toString()).toBe('after');
  });

  it('ttlSeconds 0 stores nothing', async () => {
    const c = cache(0);
    const key = klantCacheKey(ID, 'r', '');
    let runs = 0;
    await c.get(key, async () => rep(String(++runs)));
    await c.get(key, async () => rep(String(++runs)));
    expect(runs).toBe(2);
    expect(c.memoryUsable).toBe(false);
  });
});
