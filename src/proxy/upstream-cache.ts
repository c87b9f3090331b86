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
// Cache-Control directive that forbids reuse (no-store, private, no-cache — which allows storing
// only with revalidation on every use, and this cache does not revalidate), no Set-Cookie, and no
// Vary on a request header outside the key (nor `Vary: *`). Everything else is relayed as before
// and not stored. How long (RFC 9111 §4.2.1): the upstream's freshness lifetime — s-maxage (this
// cache is shared by the gateway's instances), else max-age, else Expires − Date — minus its Age,
// capped by cache.ttlSeconds (the representation cache takes min(TTL, maxAgeMs)); none given: the
// TTL. Already stale (0, in the past, unparsable): not stored. Replayed with the body: the
// upstream's Content-Type and API-version; the ETag is the gateway's strong ETag over the
// (rewritten) bytes.
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

/**
 * How long (ms) a 200 JSON answer to a GET with these upstream headers may be stored:
 * Infinity when the upstream says nothing about freshness (the cache's TTL applies), undefined
 * when it must not be stored at all.
 */
export function upstreamFreshnessMs(headers: IncomingHttpHeaders, now = Date.now()): number | undefined {
  if (headers['set-cookie'] !== undefined) return undefined;
  if (!varyCoveredByKey(headers.vary)) return undefined;
  const directives = cacheControl(headers['cache-control']);
  for (const name of FORBIDDING) if (directives.has(name)) return undefined;
  let lifetimeS: number | undefined;
  const explicit = directives.get('s-maxage') ?? directives.get('max-age');
  if (explicit !== undefined) {
    lifetimeS = deltaSeconds(explicit);
  } else if (headers.expires !== undefined) {
    const expires = Date.parse(headers.expires);
    const date = headers.date === undefined ? now : Date.parse(headers.date);
    // An invalid Expires (e.g. "0") means already expired.
    lifetimeS = Number.isNaN(expires) ? 0 : (expires - (Number.isNaN(date) ? now : date)) / 1000;
  }
  if (lifetimeS === undefined) return Infinity;
  // Time it already spent in caches upstream (an unparsable Age counts as none).
  const age = headers.age === undefined ? 0 : deltaSeconds([headers.age]);
  const leftMs = (lifetimeS - age) * 1000;
  return leftMs > 0 ? leftMs : undefined;
}

/** Cache-Control directives, lower-case names → their values (a directive may repeat). */
function cacheControl(header: string | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (header === undefined) return out;
  for (const raw of header.split(',')) {
    const directive = raw.trim();
    if (directive === '') continue;
    const eq = directive.indexOf('=');
    const name = (eq === -1 ? directive : directive.slice(0, eq)).trim().toLowerCase();
    const value = eq === -1 ? '' : directive.slice(eq + 1).trim().replace(/^"|"$/g, '');
    out.set(name, [...(out.get(name) ?? []), value]);
  }
  return out;
}

/** A delta-seconds value (the smallest when repeated); 0 (stale) when any is not a plain number. */
function deltaSeconds(values: readonly string[]): number {
  let min = Infinity;
  for (const v of values) {
    if (!/^[0-9]+$/.test(v)) return 0;
    min = Math.min(min, Number(v));
  }
  return min;
}

function varyCoveredByKey(vary: string | undefined): boolean {
  if (vary === undefined) return true;
  for (const raw of vary.split(',')) {
    const field = raw.trim().toLowerCase();
    if (field !== '' && !COVERED_BY_KEY.has(field)) return false; // also `*`
  }
  return true;
}

/**
 * The representation to store for `body` (already rewritten) with its strong `etag`, living at
 * most `freshnessMs` (upstreamFreshnessMs; Infinity: the cache's TTL).
 */
export function upstreamRepresentation(body: Buffer, etag: string, headers: IncomingHttpHeaders, freshnessMs = Infinity): Representation {
  const replayed: Record<string, string> = {};
  for (const name of REPLAYED) {
    const value = headers[name];
    if (typeof value === 'string') replayed[name] = value;
  }
  return Number.isFinite(freshnessMs) ? { body, etag, headers: replayed, maxAgeMs: Math.floor(freshnessMs) } : { body, etag, headers: replayed };
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
