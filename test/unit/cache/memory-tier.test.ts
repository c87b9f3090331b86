import { describe, expect, it } from 'vitest';
import { klantCacheKey, listCacheKey } from '../../../src/cache/keys.ts';
import { MemoryTier, type Representation } from '../../../src/cache/memory-tier.ts';

const rep = (size: number, tag = 'a'): Representation => ({ body: Buffer.alloc(size, 120), etag: `"${tag}"` });
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('in-process tier', () => {
  it('drops every variant of a resource, and only those', () => {
    const m = new MemoryTier({ maxEntries: 100, maxBytes: 1 << 20 });
    const a1 = klantCacheKey(id(1), 'https://a/api/v1', '');
    const a2 = klantCacheKey(id(1), 'https://b/api/v1', 'voornaam');
    const b1 = klantCacheKey(id(2), 'https://a/api/v1', '');
    const l1 = listCacheKey('https://a/api/v1', 'page=1');
    for (const k of [a1, a2, b1, l1]) m.set(k, rep(10), 60_000);
    m.dropResource(a1.resource);
    expect(m.get(a1.local)).toBeUndefined();
    expect(m.get(a2.local)).toBeUndefined();
    expect(m.get(b1.local)).toBeDefined();
    expect(m.get(l1.local)).toBeDefined();
    m.dropResource('lists');
    expect(m.get(l1.local)).toBeUndefined();
    expect(m.stats().entries).toBe(1);
  });

  it('is bounded in bytes: the least recently used go first', () => {
    const m = new MemoryTier({ maxEntries: 1000, maxBytes: 10_000 });
    const keys = Array.from({ length: 20 }, (_, i) => klantCacheKey(id(i), 'https://a/api/v1', ''));
    for (const k of keys) m.set(k, rep(1_000), 60_000);
    expect(m.stats().bytes).toBeLessThanOrEqual(10_000);
    expect(m.get(keys[0]!.local)).toBeUndefined();
    expect(m.get(keys[19]!.local)).toBeDefined();
    // Evicted entries left the index too: dropping their resource is harmless.
    m.dropResource(keys[0]!.resource);
    expect(m.get(keys[19]!.local)).toBeDefined();
  });

  it('refuses an entry larger than the whole budget, and honours the TTL', async () => {
    const m = new MemoryTier({ maxEntries: 10, maxBytes: 1_000 });
    const big = klantCacheKey(id(1), 'r', '');
    m.set(big, rep(5_000), 60_000);
    expect(m.get(big.local)).toBeUndefined();
    const short = klantCacheKey(id(2), 'r', '');
    m.set(short, rep(10), 30);
    expect(m.get(short.local)).toBeDefined();
    await new Promise((r) => setTimeout(r, 60));
    expect(m.get(short.local)).toBeUndefined();
  });

  it('is off with a zero budget', () => {
    const m = new MemoryTier({ maxEntries: 0, maxBytes: 1 << 20 });
    const k = klantCacheKey(id(1), 'r', '');
    m.set(k, rep(10), 60_000);
    expect(m.enabled).toBe(false);
    expect(m.get(k.local)).toBeUndefined();
  });
});
