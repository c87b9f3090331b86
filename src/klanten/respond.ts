// A JSON representation and how it is sent: the bytes with their strong ETag; sending (200, HEAD,
// 304 per If-None-Match) lives in cache/send.ts so the cache's fast path sends identical answers.
import { strongEtag } from '../representation/etag.ts';

export { sendRepresentation } from '../cache/send.ts';

export interface Representation {
  body: Buffer;
  etag: string;
}

export function toRepresentation(json: unknown): Representation {
  const body = Buffer.from(JSON.stringify(json), 'utf8');
  return { body, etag: strongEtag(body) };
}
