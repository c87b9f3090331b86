// The value of a representation in Redis: `<generation>\n1\n<createdAtMs>\n<etag>\n<body bytes>`.
// The generation is prepended by the store script (it may create it); createdAt bounds how long
// an in-process copy may live (never past the shared entry's TTL); the ETag is checked against
// the body on the way in, so a damaged or foreign value is a miss, never a wrong answer.
import { strongEtag } from '../representation/etag.ts';
import type { Representation } from './memory-tier.ts';

const NL = 10;
const FORMAT = '1';

/** What the store script appends after `<generation>\n`. */
export function encodeEntry(rep: Representation, createdAtMs: number): Buffer {
  const head = Buffer.from(`${FORMAT}\n${createdAtMs}\n${rep.etag}\n`, 'latin1');
  return Buffer.concat([head, rep.body]);
}

export interface DecodedEntry {
  generation: string;
  createdAtMs: number;
  rep: Representation;
}

export function decodeEntry(value: Buffer): DecodedEntry | undefined {
  const a = value.indexOf(NL);
  const b = a === -1 ? -1 : value.indexOf(NL, a + 1);
  const c = b === -1 ? -1 : value.indexOf(NL, b + 1);
  const d = c === -1 ? -1 : value.indexOf(NL, c + 1);
  if (d === -1 || value.toString('latin1', a + 1, b) !== FORMAT) return undefined;
  const createdAtMs = Number(value.toString('latin1', b + 1, c));
  const etag = value.toString('latin1', c + 1, d);
  // A copy: the value buffer may be a slice of a larger socket buffer.
  const body = Buffer.from(value.subarray(d + 1));
  if (!Number.isFinite(createdAtMs) || strongEtag(body) !== etag) return undefined;
  return { generation: value.toString('latin1', 0, a), createdAtMs, rep: { body, etag } };
}
