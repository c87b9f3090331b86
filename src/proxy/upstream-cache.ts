// Caching of REST upstream GET answers in the representation cache (src/cache/).
//
// Key: resource `upstream:<name>` (one invalidation drops every stored answer of the route) and a
// variant of every input that changes the bytes or who may see them:
// - the client id of the authenticated principal: the upstream authorizes per client, so one
//   client's answer is never served to another;
// - the public base (origin + prefix) and link style: the upstream renders its links from the
//   X-Forwarded-* it gets, and the gateway rewrites them to this base;
// - the path and raw query below the route prefix, exactly as received;
// - the Accept header.
// Stored: GET (or HEAD, asked upstream as GET) answers with status 200, a JSON body, and no
// Cache-Control directive that forbids reuse (no-store, no-cache, private, max-age=0,
// s-maxage=0), no Set-Cookie, and no Vary on a request header outside the key. Everything else is
// relayed as before and not stored. Replayed with the body: the upstream's Content-Type and
// API-version; the ETag is the gateway's strong ETag over the (rewritten) bytes.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { CacheKey, Representation } from '../cache/index.ts';
import { ifNoneMatchMatches } from '../representation/etag.ts';
import type { LinkStyle, PublicBase } from '../representation/links.ts';
import { UPSTREAM_VARY } from './upstream-answer.ts';

/** What every stored answer of the upstream `name` belongs to: invalidate([upstreamResource(name)]). */
export function upstreamResource(name: string): string {
  // Lower-case (the cache lower-cases what it invalidates) and without `{}` (a Redis hash tag).
  return ('upstream:' + encodeURIComponent(name)).toLowerCase();
}

export interface UpstreamKeyInput {
  readonly name: string;
  readonly clientId: string;
  readonly base: PublicBase;
  readonly style: LinkStyle;
  /** Path and raw query below the route prefix, as received. */
  readonly pathAndQuery: string;
  readonly accept: string | undefined;
}

export function upstreamCacheKey(input: UpstreamKeyInput): CacheKey {
  const resource = upstreamResource(input.name);
  // JSON: every part may hold any character, and none can run into the next.
  const variant = JSON.stringify([
    input.clientId,
    input.style,
    input.base.origin,
    input.base.prefix,
    input.pathAndQuery,
    input.accept ?? '',
  ]);
  return { resource, variant, local: resource + '\n' + variant };
}

/** Upstream headers replayed from the cache (lower-case names). */
const REPLAYED = ['content-type', 'api-version'] as const;

/** Request headers the key (or the gateway itself) fixes: an upstream Vary on these is covered. */
const COVERED_BY_KEY = new Set([
  'accept',
  'accept-encoding', // always `identity` upstream
  'authorization', // per client id
  'host',
  'origin',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-forwarded-prefix',
  'forwarded',
]);

const FORBIDDING = new Set(['no-store', 'no-cache', 'private']);

/** Whether a 200 JSON answer to a GET with these upstream headers may be stored. */
export function isStorableAnswer(headers: IncomingHttpHeaders): boolean {
  if (headers['set-cookie'] !== undefined) return false;
  const cc = headers['cache-control'];
  if (cc !== undefined) {
    for (const raw of cc.split(',')) {
      const directive = raw.trim().toLowerCase();
      const eq = directive.indexOf('=');
      const name = (eq === -1 ? directive : directive.slice(0, eq)).trim();
      const value = eq === -1 ? '' : directive.slice(eq + 1).trim().replace(/^"|"$/g, '');
      if (FORBIDDING.has(name)) return false;
      if ((name === 'max-age' || name === 's-maxage') && Number(value) <= 0) return false;
    }
  }
  const vary = headers.vary;
  if (vary !== undefined) {
    for (const raw of vary.split(',')) {
      const field = raw.trim().toLowerCase();
      if (field !== '' && !COVERED_BY_KEY.has(field)) return false;
    }
  }
  return true;
}

/** The representation to store for `body` (already rewritten) with its strong `etag`. */
export function upstreamRepresentation(body: Buffer, etag: string, headers: IncomingHttpHeaders): Representation {
  const replayed: Record<string, string> = {};
  for (const name of REPLAYED) {
    const value = headers[name];
    if (typeof value === 'string') replayed[name] = value;
  }
  return { body, etag, headers: replayed };
}

/** Sends a stored upstream answer: 200 (HEAD without body) or 304 per If-None-Match. */
export function sendUpstreamRepresentation(
  req: IncomingMessage,
  res: ServerResponse,
  rep: Representation,
  ifNoneMatch: string | undefined,
): void {
  // The upstream's API-version applies, not the Klanten API's the gateway sets by default.
  res.removeHeader('API-version');
  const notModified = ifNoneMatchMatches(ifNoneMatch, rep.etag);
  res.setHeader('ETag', rep.etag);
  // Authorization is checked per request before any answer: shared caches must not reuse it.
  res.setHeader('Cache-Control', 'private, no-cache');
  res.setHeader('Vary', UPSTREAM_VARY);
  for (const [name, value] of Object.entries(rep.headers ?? {})) {
    if (notModified && name === 'content-type') continue;
    res.setHeader(name, value);
  }
  if (notModified) {
    res.statusCode = 304;
    res.end();
    return;
  }
  res.statusCode = 200;
  res.setHeader('Content-Length', rep.body.length);
  if (req.method === 'HEAD') res.end();
  else res.end(rep.body);
}
