// The value of a representation in Redis: `<generation>\n1\n<createdAtMs>\n<etag>\n<body bytes>`,
// or, when the representation carries replayed headers (a REST upstream's answer),
// `<generation>\n2\n<createdAtMs>\n<etag>\n<headers as JSON>\n<body bytes>` (JSON escapes any
// newline, so the headers stay one line). Format 1 is still written when there are no headers, so
// native entries are byte-identical to before and instances of either version read them.
// The generation is prepended by the store script (it may create it); createdAt bounds how long
// an in-process copy may live (never past the shared entry's TTL); the ETag is checked against
// the body on the way in, so a damaged or foreign value is a miss, never a wrong answer.
import { strongEtag } from '../representation/etag.ts';
import type { Representation } from './memory-tier.ts';

const NL = 10;
const FORMAT = '1';
const FORMAT_WITH_HEADERS = '2';

/** What the store script appends after `<generation>\n`. */
export function encodeEntry(rep: Representation, createdAtMs: number): Buffer {
  if (rep.headers !== undefined) {
    const head = `${FORMAT_WITH_HEADERS}\n${createdAtMs}\n${rep.etag}\n${JSON.stringify(rep.headers)}\n`;
    return Buffer.concat([Buffer.from(head, 'latin1'), rep.body]);
  }
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
  if (d === -1) return undefined;
  const format = value.toString('latin1', a + 1, b);
  let headers: Record<string, string> | undefined;
  let bodyStart = d + 1;
  if (format === FORMAT_WITH_HEADERS) {
    const e = value.indexOf(NL, d + 1);
    if (e === -1) return undefined;
    headers = parseHeaders(value.toString('latin1', d + 1, e));
    if (headers === undefined) return undefined;
    bodyStart = e + 1;
  } else if (format !== FORMAT) {
    return undefined;
  }
  const createdAtMs = Number(value.toString('latin1', b + 1, c));
  const etag = value.toString('latin1', c + 1, d);
  // A copy: the value buffer may be a slice of a larger socket buffer.
  const body = Buffer.from(value.subarray(bodyStart));
  if (!Number.isFinite(createdAtMs) || strongEtag(body) !== etag) return undefined;
  const rep: Representation = headers === undefined ? { body, etag } : { body, etag, headers };
  return { generation: value.toString('latin1', 0, a), createdAtMs, rep };
}

/** A JSON object of string values, else undefined (a damaged entry is a miss). */
function parseHeaders(text: string): Record<string, string> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (typeof value !== 'string') return undefined;
    out[name] = value;
  }
  return out;
}
