// Public base URL of a request and the links built from it.
//
// publicBase: the origin (scheme://host[:port]) and path prefix under which the client reached us.
// - `publicBaseUrl` configured: it is authoritative, forwarded headers are ignored.
// - Otherwise forwarded headers are honoured only when the TCP peer is in `trustProxy` (IPs or
//   CIDRs, IPv4 and IPv6; an IPv4-mapped IPv6 peer matches IPv4 entries). Per item, in order:
//   proto  = RFC 7239 `Forwarded` proto, else `X-Forwarded-Proto`, else the socket's protocol;
//   host   = `Forwarded` host, else `X-Forwarded-Host`, else the `Host` header, else `localhost`;
//   prefix = `X-Forwarded-Prefix`, else ''.
//   Of a list the first element is used (the client-facing hop, as Express does): the trusted
//   edge proxy must set, not append to, these headers.
// - Every value is validated and normalised (proto http|https; host = DNS name / IPv4 / [IPv6]
//   with an optional port, lower-cased, default port dropped; prefix = '/'-separated segments of
//   RFC 3986 unreserved characters, no empty, '.' or '..' segments, so never `//evil`). A value that
//   fails is ignored and the next source is used: header text never reaches a URL unchecked.
// The caller passes socket-level facts: `protocol` from the TLS state, `host` = the raw Host header
// (not Express's req.host/req.protocol, which apply their own proxy trust), and Node's req.headers
// (lower-case names). Pieces: url-parts.ts (validation), forwarded-headers.ts (header reading),
// rewrite-urls.ts (upstream JSON), re-exported here.
//
// Links: style 'absolute' → `<origin><prefix><apiPath>/klanten/<id>`; style 'relative' →
// `<prefix><apiPath>/klanten/<id>`, an absolute-path reference that resolves (RFC 3986 §5.2) to
// the right resource through gateways that send X-Forwarded-Prefix, so nothing between us and the
// client has to rewrite it. The prefix is therefore part of relative links too.

import { BlockList, isIP } from 'node:net';
import { firstListValue, parseForwardedFirstHop } from './forwarded-headers.ts';
import type { HostPort } from './url-parts.ts';
import { SLASH_CODE, isCleanResourcePath, normalizePrefix, normalizeProto, originOf, parseHostPort } from './url-parts.ts';

export { parseForwardedFirstHop } from './forwarded-headers.ts';
export { normalizePrefix, parseHostPort } from './url-parts.ts';
export { rewriteUrls } from './rewrite-urls.ts';

export interface PublicBase {
  /** `https://host[:port]`, lower-case, default port omitted. */
  readonly origin: string;
  /** '' or `/x/y` (no trailing slash). */
  readonly prefix: string;
}

export interface PublicBaseRequest {
  readonly protocol: string;
  readonly host: string;
  readonly remoteAddress: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export interface PublicBaseConfig {
  readonly trustProxy: readonly string[];
  readonly publicBaseUrl?: string;
}

export type LinkStyle = 'absolute' | 'relative';

export interface Linker {
  /** What every link starts with (origin+prefix+apiPath, or prefix+apiPath): part of cache keys. */
  readonly root: string;
  /** `path` is relative to the API root, with or without a leading slash: 'klanten/<id>'. */
  url(path: string): string;
}

const MAX_URL_LENGTH = 2048;
const FALLBACK_HOST = 'localhost';

// ---------------------------------------------------------------------------------------------
// Trusted peers and the public base

interface CompiledConfig {
  readonly fixed: PublicBase | undefined;
  readonly trusted: BlockList | undefined;
  /** remoteAddress → trusted; peers are few (proxies, keep-alive), a bounded memo saves ~0.3 µs. */
  readonly memo: Map<string, boolean>;
}

const PEER_MEMO_LIMIT = 1024;

function addTrusted(list: BlockList, entry: string): void {
  const slash = entry.indexOf('/');
  const address = slash === -1 ? entry : entry.slice(0, slash);
  const family = isIP(address);
  if (family === 0) throw new Error(`trustProxy: not an IP address or CIDR: ${JSON.stringify(entry)}`);
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (slash === -1) {
    list.addAddress(address, type);
    return;
  }
  const bitsText = entry.slice(slash + 1);
  const bits = /^\d{1,3}$/.test(bitsText) ? Number(bitsText) : NaN;
  if (!(bits >= 0 && bits <= (family === 4 ? 32 : 128))) {
    throw new Error(`trustProxy: bad prefix length in ${JSON.stringify(entry)}`);
  }
  list.addSubnet(address, bits, type);
}

/** Parses `publicBaseUrl` (http(s), no query/fragment/userinfo); throws on anything else. */
export function parsePublicBaseUrl(value: string): PublicBase {
  const m = /^(https?):\/\/([^/?#@]+)(\/[^?#]*)?$/i.exec(value);
  const proto = normalizeProto(m?.[1]);
  const hp = m?.[2] === undefined ? undefined : parseHostPort(m[2]);
  const prefix = normalizePrefix(m?.[3] ?? '/');
  if (!proto || !hp || prefix === undefined) throw new Error(`publicBaseUrl is not a valid http(s) base URL: ${JSON.stringify(value)}`);
  return { origin: originOf(proto, hp), prefix };
}

/** Validates the configuration once (throws on bad entries) and answers publicBase per request. */
export function createPublicBaseResolver(cfg: PublicBaseConfig): (req: PublicBaseRequest) => PublicBase {
  const compiled = compile(cfg);
  return (req) => resolvePublicBase(req, compiled);
}

function compile(cfg: PublicBaseConfig): CompiledConfig {
  const fixed = cfg.publicBaseUrl === undefined || cfg.publicBaseUrl === '' ? undefined : parsePublicBaseUrl(cfg.publicBaseUrl);
  let trusted: BlockList | undefined;
  if (cfg.trustProxy.length > 0) {
    trusted = new BlockList();
    for (const entry of cfg.trustProxy) addTrusted(trusted, entry.trim());
  }
  return { fixed, trusted, memo: new Map() };
}

function isTrustedPeer(compiled: CompiledConfig, address: string): boolean {
  const list = compiled.trusted;
  if (list === undefined || address.length === 0) return false;
  const known = compiled.memo.get(address);
  if (known !== undefined) return known;
  const family = isIP(address);
  let trusted = false;
  if (family !== 0) {
    try {
      trusted = list.check(address, family === 4 ? 'ipv4' : 'ipv6');
    } catch {
      trusted = false;
    }
  }
  if (compiled.memo.size >= PEER_MEMO_LIMIT) compiled.memo.clear();
  compiled.memo.set(address, trusted);
  return trusted;
}

const compiledByConfig = new WeakMap<PublicBaseConfig, CompiledConfig>();

/**
 * The public base of a request (see the top of this file). The config is compiled on first use
 * and remembered per config object; a bad config throws — use createPublicBaseResolver at start-up
 * to fail fast.
 */
export function publicBase(req: PublicBaseRequest, cfg: PublicBaseConfig): PublicBase {
  let compiled = compiledByConfig.get(cfg);
  if (compiled === undefined) {
    compiled = compile(cfg);
    compiledByConfig.set(cfg, compiled);
  }
  return resolvePublicBase(req, compiled);
}

function resolvePublicBase(req: PublicBaseRequest, compiled: CompiledConfig): PublicBase {
  if (compiled.fixed !== undefined) return compiled.fixed;
  let proto: 'http' | 'https' | undefined;
  let hp: HostPort | undefined;
  let prefix = '';
  if (isTrustedPeer(compiled, req.remoteAddress)) {
    const headers = req.headers;
    const forwarded = headers['forwarded'] === undefined ? undefined : parseForwardedFirstHop(headers['forwarded']);
    proto = normalizeProto(forwarded?.proto) ?? normalizeProto(firstListValue(headers['x-forwarded-proto']));
    hp = forwarded?.host === undefined ? undefined : parseHostPort(forwarded.host);
    if (hp === undefined) {
      const xfh = firstListValue(headers['x-forwarded-host']);
      if (xfh !== undefined) hp = parseHostPort(xfh);
    }
    const xfp = firstListValue(headers['x-forwarded-prefix']);
    if (xfp !== undefined) prefix = normalizePrefix(xfp) ?? '';
  }
  proto ??= normalizeProto(req.protocol) ?? 'http';
  hp ??= parseHostPort(req.host) ?? { host: FALLBACK_HOST, port: '' };
  return { origin: originOf(proto, hp), prefix };
}

// ---------------------------------------------------------------------------------------------
// Links

function normalizeApiPath(apiPath: string): string {
  const normalized = normalizePrefix(apiPath);
  if (normalized === undefined) throw new Error(`invalid apiPath ${JSON.stringify(apiPath)}`);
  return normalized;
}

export function makeLinker(base: PublicBase, style: LinkStyle, apiPath = '/api/v1'): Linker {
  const root = (style === 'absolute' ? base.origin : '') + base.prefix + normalizeApiPath(apiPath);
  const rootSlash = root + '/';
  return {
    root,
    url: (path) => (path.charCodeAt(0) === SLASH_CODE ? root + path : rootSlash + path),
  };
}

/**
 * Recognises one of our resource URLs in a request body (`url`, `klant`, ...): absolute with this
 * request's public origin (scheme and host case-insensitive, default port optional), or the
 * absolute-path form our relative links take. Both must start with prefix+apiPath. Other hosts are
 * NOT accepted (a `subject` URL of another API with the same path shape must not be taken for
 * ours); list extra origins that also reach this API (e.g. another gateway) in `otherOrigins`.
 * Returns the path after the API root with a leading slash ('/klanten/<id>'), or undefined.
 */
export function parseIncomingResourceUrl(
  value: string,
  base: PublicBase,
  apiPath = '/api/v1',
  otherOrigins: readonly string[] = [],
): string | undefined {
  if (value.length === 0 || value.length > MAX_URL_LENGTH) return undefined;
  let path: string;
  if (value.charCodeAt(0) === SLASH_CODE) {
    if (value.charCodeAt(1) === SLASH_CODE) return undefined; // network-path reference
    path = value;
  } else {
    const schemeEnd = value.indexOf('://');
    const proto = schemeEnd === -1 ? undefined : normalizeProto(value.slice(0, schemeEnd));
    if (proto === undefined) return undefined;
    const authorityStart = schemeEnd + 3;
    let authorityEnd = authorityStart;
    while (authorityEnd < value.length) {
      const c = value.charCodeAt(authorityEnd);
      if (c === SLASH_CODE || c === 63 /* ? */ || c === 35 /* # */) break;
      authorityEnd++;
    }
    const hp = parseHostPort(value.slice(authorityStart, authorityEnd)); // rejects userinfo
    if (hp === undefined) return undefined;
    const origin = originOf(proto, hp);
    if (origin !== base.origin && !otherOrigins.includes(origin)) return undefined;
    path = value.slice(authorityEnd);
  }
  const root = base.prefix + normalizeApiPath(apiPath);
  if (!path.startsWith(root) || path.charCodeAt(root.length) !== SLASH_CODE) return undefined;
  const rest = path.slice(root.length);
  return isCleanResourcePath(rest) ? rest : undefined;
}
