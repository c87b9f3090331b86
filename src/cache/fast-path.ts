// The cache-hit fast path: a raw node:http request listener in front of the Express app that answers
// GET/HEAD of /api/v1/klanten/{uuid} and /api/v1/klanten?... from the in-process tier. Express'
// router costs several times a bare handler, and a hit needs none of it.
//
// It does exactly what the Express stack does for such a request, in the same order: request id,
// the platform's standard headers (taken from http/headers.ts itself so they cannot drift),
// authentication (the Authenticator's verified-token cache makes it cheap), the scope check,
// the rate limit when one is configured, the cache key (keys.ts, shared with the routes), then
// 304/200/HEAD through send.ts, and the request log line. Anything else — a miss, a missing or
// bad token, no scope, a query it does not parse the same way, a body, CORS, an unusual Accept or
// X-Forwarded-Proto — returns false and the request goes to Express untouched (nothing has been
// written yet), which answers it, errors included.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { Logger } from 'pino';
import type { Authenticator } from '../auth/authenticator.ts';
import { hasScope } from '../auth/principal.ts';
import { baseHeaders } from '../http/headers.ts';
import { maskPath } from '../http/logger.ts';
import type { RateLimiter } from '../http/rate-limit.ts';
import { isSaneRequestId } from '../http/request-id.ts';
import { UUID4_RE } from '../identity/uuid-bits.ts';
import { parseFields } from '../representation/fields.ts';
import { KLANT_FIELDS_SCHEMA } from '../representation/klant-field-paths.ts';
import { makeLinker, type LinkStyle, type PublicBase, type PublicBaseRequest } from '../representation/links.ts';
import { klantLocalKey, listLocalKey, LISTS_RESOURCE } from './keys.ts';
import type { RepresentationCache } from './representation-cache.ts';
import { prepareHeaders, writeRepresentation, type PreparedHeaders } from './send.ts';
import type { MemoryEntry } from './memory-tier.ts';

export interface FastPathOptions {
  cache: RepresentationCache;
  authenticator: Authenticator;
  resolveBase: (req: PublicBaseRequest) => PublicBase;
  links: LinkStyle;
  strict: boolean;
  logger: Logger;
  /** CORS origins configured: requests with an Origin header then go to Express (cors middleware). */
  corsEnabled: boolean;
  /** The same limiter the Express stack uses, when rate limiting is on. */
  rateLimiter?: RateLimiter;
  apiPath?: string;
  /** What the Express HTTP metrics middleware records per request (ops/metrics.ts observeRequest). */
  observeRequest?: (method: string, route: string, status: number, seconds: number) => void;
}

/** Answers the request and returns true, or returns false having written nothing. */
export type FastPath = (req: IncomingMessage, res: ServerResponse) => boolean;

const UUID_LENGTH = 36;
const ROOT_MEMO_LIMIT = 256;

export function createFastPath(opts: FastPathOptions): FastPath {
  const apiPath = opts.apiPath ?? '/api/v1';
  const listPath = apiPath + '/klanten';
  const detailPrefix = listPath + '/';
  const detailLength = detailPrefix.length + UUID_LENGTH;
  // The route names the Express routes give themselves (klanten/routes.ts setRoute).
  const listRoute = listPath;
  const detailRoute = detailPrefix + ':uuid';
  const standardHeaders = recordStandardHeaders();
  // Per cached entry, its header lists built once (they die with the entry).
  const preparedFor = new WeakMap<MemoryEntry, PreparedHeaders>();
  const { cache, authenticator, logger } = opts;

  /** The in-process key of the request (keys.ts, as the routes build it), or undefined to leave it to Express. */
  function keyOf(req: IncomingMessage, url: string): string | undefined {
    const q = url.indexOf('?');
    const pathEnd = q === -1 ? url.length : q;
    const rawQuery = q === -1 ? '' : url.slice(q + 1);
    if (pathEnd === listPath.length) {
      if (!url.startsWith(listPath)) return undefined;
      return listLocalKey(rootOf(req), rawQuery);
    }
    if (pathEnd !== detailLength || !url.startsWith(detailPrefix)) return undefined;
    const id = url.slice(detailPrefix.length, pathEnd).toLowerCase();
    if (!UUID4_RE.test(id)) return undefined;
    let fieldsKey = '';
    if (rawQuery !== '' && !opts.strict) {
      const fields = parseQuery(rawQuery).fields; // Express' 'simple' query parser
      if (fields !== undefined) {
        if (typeof fields !== 'string') return undefined;
        const parsed = parseFields(fields, KLANT_FIELDS_SCHEMA);
        if (!parsed.ok) return undefined;
        fieldsKey = parsed.key;
      }
    }
    return klantLocalKey(id, rootOf(req), fieldsKey);
  }

  // Linker root per scheme + Host for requests without forwarding headers. WHY: resolveBase (Host
  // parsed and validated) plus makeLinker cost ~0.2 µs a hit (micro-bench: 150 + 40 ns), and
  // without Forwarded/X-Forwarded-* the public base depends on nothing but those two (links.ts:
  // the peer's trust only decides whether those headers count). Host is the client's, so bounded.
  const rootByHost = new Map<string, string>();

  function rootOf(req: IncomingMessage): string {
    const h = req.headers;
    if (h.forwarded !== undefined || h['x-forwarded-host'] !== undefined || h['x-forwarded-proto'] !== undefined || h['x-forwarded-prefix'] !== undefined) {
      return resolveRoot(req);
    }
    const memoKey = ((req.socket as { encrypted?: boolean }).encrypted === true ? 'https ' : 'http ') + (h.host ?? '');
    let root = rootByHost.get(memoKey);
    if (root === undefined) {
      root = resolveRoot(req);
      if (rootByHost.size >= ROOT_MEMO_LIMIT) rootByHost.clear();
      rootByHost.set(memoKey, root);
    }
    return root;
  }

  function resolveRoot(req: IncomingMessage): string {
    const socket = req.socket as { encrypted?: boolean; remoteAddress?: string };
    const base = opts.resolveBase({
      protocol: socket.encrypted === true ? 'https' : 'http',
      host: req.headers.host ?? '',
      remoteAddress: socket.remoteAddress ?? '',
      headers: req.headers,
    });
    return makeLinker(base, opts.links, apiPath).root;
  }

  return function fastPath(req, res) {
    const method = req.method;
    if (method !== 'GET' && method !== 'HEAD') return false;
    const url = req.url;
    if (url === undefined || !url.startsWith(listPath)) return false;
    const h = req.headers;
    if (h['content-length'] !== undefined && h['content-length'] !== '0') return false;
    if (h['transfer-encoding'] !== undefined) return false;
    if (opts.corsEnabled && h.origin !== undefined) return false;
    if (!plainJsonAccept(h.accept)) return false;
    if (!plainForwardedProto(h['x-forwarded-proto'])) return false;
    if (!cache.memoryUsable) return false;

    const started = performance.now();
    const auth = authenticator.authenticate(h.authorization);
    if (!auth.ok || !hasScope(auth.principal, 'klanten.lezen')) return false;
    const key = keyOf(req, url);
    if (key === undefined) return false;
    const hit = cache.peek(key);
    if (hit === undefined) return false;
    // Refused, or undecidable without waiting for Redis: Express decides (429 or after the wait).
    if (opts.rateLimiter !== undefined && opts.rateLimiter.takeNow(auth.principal.clientId)?.ok !== true) return false;

    const given = h['x-request-id'];
    const requestId = typeof given === 'string' && isSaneRequestId(given) ? given : randomUUID();
    let prepared = preparedFor.get(hit);
    if (prepared === undefined) {
      prepared = prepareHeaders(hit.rep, standardHeaders);
      preparedFor.set(hit, prepared);
    }
    const isNotModified = writeRepresentation(req, res, hit.rep, hit.wire, requestId, prepared);
    cache.noteFastPathHit(isNotModified);
    const route = hit.resource === LISTS_RESOURCE ? listRoute : detailRoute;
    opts.observeRequest?.(method, route, res.statusCode, (performance.now() - started) / 1000);

    if (logger.isLevelEnabled('info')) {
      const q = url.indexOf('?');
      logger.info(
        {
          requestId,
          method,
          route,
          path: maskPath(q === -1 ? url : url.slice(0, q)),
          queryKeys: q === -1 ? undefined : Object.keys(parseQuery(url.slice(q + 1))),
          status: res.statusCode,
          durationMs: Math.round((performance.now() - started) * 100) / 100,
          clientId: auth.principal.clientId,
        },
        'request',
      );
    }
    return true;
  };
}

/**
 * The headers http/headers.ts sets on every response, in its order, recorded by running that
 * middleware once against a stand-in response.
 */
function recordStandardHeaders(): string[] {
  const recorded: string[] = [];
  const stand = {
    setHeader(name: string, value: unknown) {
      recorded.push(name, String(value));
    },
    removeHeader() {},
  };
  const middleware = baseHeaders() as unknown as (req: unknown, res: typeof stand, next: () => void) => void;
  middleware(undefined, stand, () => {});
  return recorded;
}

/**
 * Accept headers the fast path answers itself: none, or a list in which application/json is
 * acceptable and not refused by name. Anything odder goes to Express' negotiation.
 */
function plainJsonAccept(accept: string | undefined): boolean {
  if (accept === undefined || accept === '*/*' || accept === 'application/json') return true;
  let acceptable = false;
  for (const part of accept.split(',')) {
    const semi = part.indexOf(';');
    const type = (semi === -1 ? part : part.slice(0, semi)).trim().toLowerCase();
    if (type !== 'application/json' && type !== 'application/*' && type !== '*/*') continue;
    const q = semi === -1 ? 1 : qualityOf(part.slice(semi + 1));
    if (q === 0 && type === 'application/json') return false;
    if (q > 0) acceptable = true;
  }
  return acceptable;
}

function qualityOf(params: string): number {
  for (const p of params.split(';')) {
    const eq = p.indexOf('=');
    if (eq !== -1 && p.slice(0, eq).trim().toLowerCase() === 'q') {
      const q = Number(p.slice(eq + 1).trim());
      return Number.isFinite(q) ? q : 0;
    }
  }
  return 1;
}

/** Absent, `http` or `https`: the values for which Express' req.protocol and links.ts agree. */
function plainForwardedProto(value: string | string[] | undefined): boolean {
  return value === undefined || value === 'http' || value === 'https';
}
