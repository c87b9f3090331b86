// Idempotency-Key handling: key syntax, body fingerprint, replay / 422 / 409, failures free the key.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/http/problem.ts';
import { canonicalJson, IdempotentCreates, parseIdempotencyKey } from '../../../src/klanten/idempotency.ts';
import { MemoryIdempotencyStore, type StoredResponse } from '../../../src/klanten/idempotency-store.ts';

const created = (n: number): StoredResponse => ({ status: 201, headers: { Location: `http://x/klanten/${n}` }, body: `{"n":${n}}` });

describe('parseIdempotencyKey', () => {
  it('accepts a quoted sf-string or a bare token, absent is undefined', () => {
    expect(parseIdempotencyKey('"abc-123"')).toBe('abc-123');
    expect(parseIdempotencyKey('abc-123')).toBe('abc-123');
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
  });

  it('refuses empty, spaces, control characters and over 255 characters', () => {
    for (const bad of ['', '""', 'a b', 'a\u0001', 'x'.repeat(256), '"a"b"']) {
      expect(() => parseIdempotencyKey(bad), bad).toThrow(ApiError);
    }
  });
});

describe('canonicalJson', () => {
  it('sorts object keys at every depth and keeps list order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe(canonicalJson({ a: { c: null, d: [2, 1] }, b: 1 }));
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });
});

describe('IdempotentCreates', () => {
  it('runs once per client and key; a repeat gets the stored answer', async () => {
    const idem = new IdempotentCreates(new MemoryIdempotencyStore());
    let runs = 0;
    const create = async () => created(++runs);
    const first = await idem.run('c1', 'k', { a: 1 }, create);
    const again = await idem.run('c1', 'k', { a: 1 }, create);
    expect(first).toEqual({ ...created(1), replayed: false });
    expect(again).toEqual({ ...created(1), replayed: true });
    const otherClient = await idem.run('c2', 'k', { a: 1 }, create);
    expect(otherClient.replayed).toBe(false);
    expect(runs).toBe(2);
  });

  it('the same key with another body is 422; while the first runs, 409', async () => {
    const idem = new IdempotentCreates(new MemoryIdempotencyStore());
    let finish!: () => void;
    const slow = idem.run('c', 'k', { a: 1 }, () => new Promise<StoredResponse>((r) => (finish = () => r(created(1)))));
    await new Promise((r) => setTimeout(r, 0));
    await expect(idem.run('c', 'k', { a: 1 }, async () => created(2))).rejects.toMatchObject({ status: 409 });
    await expect(idem.run('c', 'k', { a: 2 }, async () => created(2))).rejects.toMatchObject({ status: 422 });
    finish();
    await slow;
    await expect(idem.run('c', 'k', { a: 2 }, async () => created(2))).rejects.toMatchObject({ status: 422 });
  });

  it('a failure (thrown or non-2xx) frees the key', async () => {
    const idem = new IdempotentCreates(new MemoryIdempotencyStore());
    await expect(idem.run('c', 'k', {}, async () => Promise.reject(new Error('backend down')))).rejects.toThrow('backend down');
    const r = await idem.run('c', 'k', {}, async () => created(1));
    expect(r.replayed).toBe(false);
  });

  it('records expire after their ttl', async () => {
    const idem = new IdempotentCreates(new MemoryIdempotencyStore(), { ttlMs: 20 });
    await idem.run('c', 'k', {}, async () => created(1));
    await new Promise((r) => setTimeout(r, 30));
    expect((await idem.run('c', 'k', {}, async () => created(2))).body).toBe(created(2).body);
  });
});
