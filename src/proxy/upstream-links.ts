// Where each REST upstream lives (its target) and under which public path the gateway serves it,
// and the URL rewriting between the two, per request. Pure: no I/O.
//
// Response direction (upstream → client): an upstream's own absolute URLs (`target` + path) become
// the gateway's public form of the route (`origin + prefix + route prefix + path`, or without the
// origin when links are relative); with relative links, absolute public URLs of the gateway (the
// native API and every route) are made relative as well. URLs of every configured upstream are
// rewritten, not just the route's own, so relations between two upstreams point at the gateway.
// Request direction (client → upstream): public URLs of a route (absolute for this request's base,
// or relative) become the upstream's own; relative URLs of the native API become absolute, because
// an upstream stores and validates absolute URLs (ZGW `klant`, `contactmoment`, ...).

import type { LinkStyle, PublicBase } from '../representation/links.ts';
import { rewriteUrls } from '../representation/rewrite-urls.ts';

export interface UpstreamTarget {
  /** Route prefix at the gateway, '/x/y' without trailing slash ('/' for the root). */
  readonly prefix: string;
  /** `scheme://host[:port]` of the upstream, lower-case, default port omitted. */
  readonly origin: string;
  /** Path of the upstream API root, '' or '/x/y' (no trailing slash). */
  readonly path: string;
  /** origin + path: the start of every URL the upstream renders for itself. */
  readonly base: string;
}

export interface LinkMap {
  readonly from: readonly string[];
  readonly to: (url: string, matchedBase: string) => string;
}

export interface RequestLinkMaps {
  /** Upstream answer → client (JSON bodies, Location). */
  readonly toClient: LinkMap;
  /** Client request → upstream (JSON bodies of writes, query values). */
  readonly toUpstream: LinkMap;
}

/** Parses a configured `target` (http(s) URL without query or fragment). Throws on anything else. */
export function parseUpstreamTarget(prefix: string, target: string): UpstreamTarget {
  const url = new URL(target);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`upstream target must be http(s): ${target}`);
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new Error(`upstream target must not have a query, fragment or credentials: ${target}`);
  }
  const path = url.pathname.replace(/\/+$/, '');
  const origin = url.origin; // WHATWG: lower-case host, default port dropped
  return { prefix: prefix === '/' ? '/' : prefix.replace(/\/+$/, ''), origin, path, base: origin + path };
}

/** The public path of a route under a public base: prefix + route prefix ('' for root at root). */
function publicPathOf(base: PublicBase, routePrefix: string): string {
  return base.prefix + (routePrefix === '/' ? '' : routePrefix);
}

function linkMap(pairs: Map<string, string>): LinkMap {
  // Longest base first: `/a/b` must win over `/a` (rewriteUrls takes the first that matches).
  const from = [...pairs.keys()].filter((k) => k.length > 0).sort((a, b) => b.length - a.length);
  const to = (url: string, matched: string): string => {
    const out = (pairs.get(matched) ?? matched) + url.slice(matched.length);
    return out === '' ? '/' : out; // a relative link to the root of a root route
  };
  return { from, to };
}

/**
 * Both rewrite directions for one request: its public base, the link style of the route it came
 * in on, every configured upstream, and the native API's path.
 */
export function linkMapsFor(
  base: PublicBase,
  style: LinkStyle,
  targets: readonly UpstreamTarget[],
  nativeApiPath = '/api/v1',
): RequestLinkMaps {
  const toClient = new Map<string, string>();
  const toUpstream = new Map<string, string>();
  const linkOrigin = style === 'absolute' ? base.origin : '';
  const nativePath = base.prefix + nativeApiPath;
  for (const t of targets) {
    const publicPath = publicPathOf(base, t.prefix);
    toClient.set(t.base, linkOrigin + publicPath);
    if (style === 'relative') toClient.set(base.origin + publicPath, publicPath);
    toUpstream.set(base.origin + publicPath, t.base);
    // A relative root of '' or '/' would match every absolute-path string: only real prefixes.
    if (publicPath.length > 1) toUpstream.set(publicPath, t.base);
  }
  if (style === 'relative' && !toClient.has(base.origin + nativePath)) toClient.set(base.origin + nativePath, nativePath);
  if (!toUpstream.has(nativePath)) toUpstream.set(nativePath, base.origin + nativePath);
  return { toClient: linkMap(toClient), toUpstream: linkMap(toUpstream) };
}

/** Rewrites one URL-valued string (JSON value, header, query value); unchanged when nothing matches. */
export function rewriteUrl(value: string, map: LinkMap): string {
  return rewriteUrls(value, map.from, map.to);
}

/**
 * A `Location` (or `Content-Location`) of an upstream answer in the client's form. A path-only
 * value is resolved against the upstream first (it is in the upstream's path space).
 */
export function rewriteLocation(value: string, target: UpstreamTarget, map: LinkMap): string {
  if (value.startsWith('/') && !value.startsWith('//')) {
    const absolute = target.origin + value;
    const rewritten = rewriteUrl(absolute, map);
    return rewritten === absolute ? value : rewritten;
  }
  return rewriteUrl(value, map);
}

/**
 * Rewrites URL-valued query parameters (`?klant=…&contactmoment=…`) for the upstream. Pairs that do
 * not change keep their exact bytes; a changed value is re-encoded with encodeURIComponent.
 * `search` is without the leading '?'.
 */
export function rewriteQuery(search: string, map: LinkMap): string {
  if (search === '') return search;
  let changed = false;
  const pairs = search.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    if (eq === -1) return pair;
    let value: string;
    try {
      value = decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, ' '));
    } catch {
      return pair; // malformed escapes: the upstream gets it as sent and judges it
    }
    const rewritten = rewriteUrl(value, map);
    if (rewritten === value) return pair;
    changed = true;
    return pair.slice(0, eq + 1) + encodeURIComponent(rewritten);
  });
  return changed ? pairs.join('&') : search;
}

/**
 * Whether the path below a route prefix may be sent upstream: no dot segments (also
 * percent-encoded), no empty segments, no encoded slash or backslash. An upstream (or a server in
 * front of it) that normalises `..` would otherwise let a client leave the target's API root.
 */
export function isSafeUpstreamPath(rest: string): boolean {
  if (rest === '' || rest === '/') return true;
  if (rest.charCodeAt(0) !== 47 /* / */) return false;
  const segments = rest.slice(1).split('/');
  for (const raw of segments) {
    if (raw.length === 0) return false;
    if (raw.includes('\\')) return false;
    const lower = raw.toLowerCase();
    if (lower.includes('%2f') || lower.includes('%5c')) return false;
    const dots = lower.replaceAll('%2e', '.');
    if (dots === '.' || dots === '..') return false;
  }
  return true;
}

/** The upstream request path for `rest` (the path below the route prefix, '' or '/…') and query. */
export function upstreamPath(target: UpstreamTarget, rest: string, search: string): string {
  const below = rest === '/' ? '' : rest;
  const path = target.path + below || '/';
  return search === '' ? path : `${path}?${search}`;
}

/**
 * X-Forwarded-Prefix for the upstream: what precedes the upstream's own path in the public URL.
 * Undefined when the public path does not end with the target's path (no prefix can express the
 * mapping; the gateway's rewriting still fixes the links).
 */
export function forwardedPrefixFor(base: PublicBase, target: UpstreamTarget): string | undefined {
  const publicPath = publicPathOf(base, target.prefix);
  if (!publicPath.endsWith(target.path)) return undefined;
  const prefix = publicPath.slice(0, publicPath.length - target.path.length);
  return prefix === '' ? undefined : prefix;
}
