// Sending a JSON representation with HTTP caching semantics (RFC 9110): a strong ETag over the
// exact bytes, If-None-Match (one, several, weak or `*`) → 304 without body, HEAD = GET's headers.
// One list of headers serves both senders, so the Express routes and the raw fast path send
// identical responses: Express through setHeader (its middleware set headers before), the fast
// path through a single writeHead (the cheapest way node:http has).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ifNoneMatchMatches } from '../representation/etag.ts';
import type { Representation } from './memory-tier.ts';

// Shared caches must not reuse one client's bytes for another: authorization decides first.
export const REPRESENTATION_CACHE_CONTROL = 'private, no-cache';
// Every request header that can change the bytes (see keys.ts) or the authorization.
export const REPRESENTATION_VARY = 'Authorization, Accept, X-Forwarded-Host, X-Forwarded-Proto, X-Forwarded-Prefix, Forwarded';
export const JSON_CONTENT_TYPE = 'application/json';

/** Whether the request's If-None-Match lets us answer 304 for `rep`. */
export function notModified(req: IncomingMessage, rep: Representation): boolean {
  return ifNoneMatchMatches(req.headers['if-none-match'], rep.etag);
}

/** The representation's headers, in order, as [name, value, name, value, ...]; a 304 has no Content-*. */
export function representationHeaders(rep: Representation, isNotModified: boolean): string[] {
  const headers = ['ETag', rep.etag, 'Cache-Control', REPRESENTATION_CACHE_CONTROL, 'Vary', REPRESENTATION_VARY];
  if (!isNotModified) headers.push('Content-Type', JSON_CONTENT_TYPE, 'Content-Length', String(rep.body.length));
  return headers;
}

/** Sends `rep` on a response that may carry headers already (Express). */
export function sendRepresentation(req: IncomingMessage, res: ServerResponse, rep: Representation): void {
  const isNotModified = notModified(req, rep);
  const headers = representationHeaders(rep, isNotModified);
  for (let i = 0; i < headers.length; i += 2) res.setHeader(headers[i]!, headers[i + 1]!);
  res.statusCode = isNotModified ? 304 : 200;
  if (isNotModified || req.method === 'HEAD') res.end();
  else res.end(rep.body);
}

/** The complete header lists of a 200 and a 304 for `rep`, `leading` headers first. */
export interface PreparedHeaders {
  ok: string[];
  notModified: string[];
}

export function prepareHeaders(rep: Representation, leading: readonly string[]): PreparedHeaders {
  return {
    ok: [...leading, ...representationHeaders(rep, false)],
    notModified: [...leading, ...representationHeaders(rep, true)],
  };
}

/**
 * Sends `rep` on an untouched response in one writeHead: `first` (the request id), then the
 * prepared headers; `wire` is the body as a latin1 string (one write together with the headers
 * instead of two). Returns whether it was a 304.
 */
export function writeRepresentation(
  req: IncomingMessage,
  res: ServerResponse,
  rep: Representation,
  wire: string,
  first: string[],
  prepared: PreparedHeaders,
): boolean {
  const isNotModified = notModified(req, rep);
  res.writeHead(isNotModified ? 304 : 200, first.concat(isNotModified ? prepared.notModified : prepared.ok));
  if (isNotModified || req.method === 'HEAD') res.end();
  else res.end(wire, 'latin1');
  return isNotModified;
}
