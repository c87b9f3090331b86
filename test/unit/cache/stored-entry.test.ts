import { describe, expect, it } from 'vitest';
import { decodeEntry, encodeEntry } from '../../../src/cache/stored-entry.ts';
import { strongEtag } from '../../../src/representation/etag.ts';

const body = Buffer.from(JSON.stringify({ naam: 'Zoë\nvan Dijk', n: [1, 2] }), 'utf8');
const rep = { body, etag: strongEtag(body) };
const stored = (gen: string, payload: Buffer) => Buffer.concat([Buffer.from(`${gen}\n`), payload]);

describe('stored entry', () => {
  it('round-trips generation, creation time, ETag and exact bytes (newlines in the body included)', () => {
    const d = decodeEntry(stored('gen-1', encodeEntry(rep, 1_700_000_000_123)));
    expect(d?.generation).toBe('gen-1');
    expect(d?.createdAtMs).toBe(1_700_000_000_123);
    expect(d?.rep.etag).toBe(rep.etag);
    expect(d?.rep.body.equals(body)).toBe(true);
  });

  it('a damaged body, a foreign format or a truncated value is no entry', () => {
    const good = stored('g', encodeEntry(rep, 1));
    const flipped = Buffer.from(good);
    flipped[flipped.length - 2]! ^= 1;
    expect(decodeEntry(flipped)).toBeUndefined();
    expect(decodeEntry(Buffer.from(good.toString('latin1').replace('\n1\n', '\n2\n'), 'latin1'))).toBeUndefined();
    expect(decodeEntry(good.subarray(0, 8))).toBeUndefined();
    expect(decodeEntry(Buffer.from('garbage'))).toBeUndefined();
  });
});
