import { describe, expect, it } from 'vitest';
import { decodeEntry, encodeEntry } from '../../../src/cache/stored-entry.ts';
import { upstreamCacheKey, upstreamFreshnessMs, upstreamResource } from '../../../src/proxy/upstream-cache.ts';
import { strongEtag } from '../../../src/representation/etag.ts';

const base = { origin: 'https://gw.example', prefix: '' };
const input = { name: 'CM', clientId: 'a', base, style: 'absolute' as const, pathAndQuery: '/x?a=1', accept: 'application/json' };

describe('upstream cache keys', () => {
  it('one resource per upstream, lower-case and without hash-tag braces', () => {
    expect(upstreamResource('CM')).toBe('upstream:cm');
    expect(upstreamResource('a{b}')).not.toMatch(/[{}]/);
    expect(upstreamCacheKey(input).resource).toBe('upstream:cm');
  });

  it('every input changes the variant', () => {
    const k = upstreamCacheKey(input).local;
    expect(upstreamCacheKey({ ...input, clientId: 'b' }).local).not.toBe(k);
    expect(upstreamCacheKey({ ...input, base: { ...base, origin: 'https://x.example' } }).local).not.toBe(k);
    expect(upstreamCacheKey({ ...input, style: 'relative' }).local).not.toBe(k);
    expect(upstreamCacheKey({ ...input, pathAndQuery: '/x?a=2' }).local).not.toBe(k);
    expect(upstreamCacheKey({ ...input, accept: undefined }).local).not.toBe(k);
  });
});

describe('upstreamFreshnessMs: stored at all', () => {
  it.each([
    [{}, true],
    [{ 'cache-control': 'max-age=60' }, true],
    [{ 'cache-control': 'no-store' }, false],
    [{ 'cache-control': 'Private' }, false],
    [{ 'cache-control': 'no-cache' }, false],
    [{ 'cache-control': 'public, max-age=0' }, false],
    [{ 'set-cookie': ['a=b'] }, false],
    [{ vary: 'Accept, Authorization' }, true],
    [{ vary: 'Accept-Language' }, false],
    [{ vary: '*' }, false],
  ])('%j → %s', (headers, storable) => {
    expect(upstreamFreshnessMs(headers) !== undefined).toBe(storable);
  });
});

describe('stored entries with replayed headers', () => {
  const body = Buffer.from('{"a":"b\\nc"}');
  const etag = strongEtag(body);
  const stored = (v: Buffer) => Buffer.concat([Buffer.from('g\n'), v]);

  it('round-trip with headers (format 2), and without them format 1 is unchanged', () => {
    const rep = { body, etag, headers: { 'content-type': 'application/json', 'api-version': '1.2.3' } };
    const d = decodeEntry(stored(encodeEntry(rep, 5)));
    expect(d?.rep.headers).toEqual(rep.headers);
    expect(d?.rep.body.equals(body)).toBe(true);
    expect(encodeEntry({ body, etag }, 5).toString('latin1').startsWith('1\n5\n')).toBe(true);
    expect(decodeEntry(stored(encodeEntry({ body, etag }, 5)))?.rep.headers).toBeUndefined();
  });

  it('a damaged headers line is a miss', () => {
    const good = stored(encodeEntry({ body, etag, headers: { a: 'b' } }, 5)).toString('latin1');
    expect(decodeEntry(Buffer.from(good.replace('{"a":"b"}', '{"a":1}'), 'latin1'))).toBeUndefined();
    expect(decodeEntry(Buffer.from(good.replace('{"a":"b"}', '{oops'), 'latin1'))).toBeUndefined();
  });
});
