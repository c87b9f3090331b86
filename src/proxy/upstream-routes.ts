// REST upstream routes: config `upstreams` maps a path prefix at the gateway to another REST API
// (a Contactmomenten or Verzoeken API holding klantcontactmomenten / klantverzoeken), proxied with
// http-proxy-middleware.
//
// Per request, in order:
// 1. Authentication: the gateway's own JWT-ZGW check (401 before anything reaches the upstream).
//    Authorization is the upstream's: its scopes (contactmomenten.lezen, ...) are not the Klanten
//    API's, so the client's Authorization header is forwarded unchanged and the upstream decides
//    (a 401/403 of the upstream reaches the client). The gateway therefore requires no scope here.
// 2. The path below the prefix must be clean (no dot segments, encoded slashes): 400 otherwise.
// 3. URL-valued query parameters and JSON request bodies: public gateway URLs of an upstream
//    become that upstream's own URLs (see upstream-links.ts).
// 4. X-Forwarded-For/Proto/Host (and -Prefix when expressible) describe the public request;
//    `Forwarded` is dropped; X-Request-ID carries the gateway's correlation id. GET/HEAD
//    conditionals are evaluated by the gateway (its ETags are over the rewritten bytes), so they
//    are not sent upstream; a HEAD is asked as GET so its headers (ETag, length) equal GET's.
// 5. The answer is relayed by upstream-answer.ts; a route deadline (`timeoutMs`) covers connect,
//    headers and a buffered body (504), then an idle timeout of the same length covers a stream.
//
// 6. Caching (upstream-cache.ts), when the gateway has a cache with a TTL: a GET/HEAD is answered
//    from the representation cache when a stored answer exists for its key, else it is proxied
//    and a storable 200 JSON answer is stored (for min(TTL, the upstream's freshness lifetime))
//    and sent from there (one upstream request per key at a time; requests that joined a fill
//    whose answer was not storable ask the upstream themselves). Any other method's 2xx answer
//    first invalidates `upstream:<name>`, before the client gets it.
//
// Link style: the route's `links`, else server.links; strict mode forces absolute links (relative
// links are an extension of this gateway).
import http from 'node:http';
import https from 'node:https';
import type { Server } from 'node:net';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Router } from 'express';
import type { Plugin } from 'http-proxy-middleware';
import { createProxyMiddleware } from 'http-proxy-middleware';
import type { Authenticator } from '../auth/index.ts';
import type { Representation, RepresentationCache } from '../cache/index.ts';
import { authenticateRequests } from '../auth/index.ts';
import type { UpstreamConfig } from '../config/schema.ts';
import { isTrustedPeer } from '../http/app-settings.ts';
import { contextOf, requestIdOf, setRoute } from '../http/context.ts';
import { isJsonMediaType } from '../http/json-body.ts';
import { ApiError } from '../http/problem.ts';
import type { LinkStyle, PublicBase, PublicBaseRequest } from '../representation/links.ts';
import { rewriteUrls } from '../representation/rewrite-urls.ts';
import { relayUpstreamAnswer } from './upstream-answer.ts';
import {
  sendUpstreamRepresentation,
  upstreamCacheKey,
  upstreamFreshnessMs,
  upstreamRepresentation,
  upstreamResource,
} from './upstream-cache.ts';
import { proxyErrorToApiError, UpstreamTimeoutError } from './upstream-errors.ts';
import {
  forwardedPrefixFor,
  isSafeUpstreamPath,
  linkMapsFor,
  parseUpstreamTarget,
  rewriteQuery,
  upstreamPath,
  type RequestLinkMaps,
  type UpstreamTarget,
} from './upstream-links.ts';

export interface UpstreamRoutesOptions {
  upstreams: readonly UpstreamConfig[];
  authenticator: Authenticator;
  resolveBase: (req: PublicBaseRequest) => PublicBase;
  /** server.links: the default link style of a route. */
  links: LinkStyle;
  strict: boolean;
  /** Path of the native Klanten API under the public base ('/api/v1'). */
  nativeApiPath?: string;
  /** Largest JSON answer read for rewriting (default 10 MiB); larger → 502. */
  maxBodyBytes?: number;
  /** Representation cache for GET answers; absent (or cache.ttlSeconds 0) = nothing is stored. */
  cache?: RepresentationCache;
}

/** How a cache fill receives the exchange's answer. */
interface Capture {
  /** A 200 JSON answer to a GET/HEAD: true when stored (the route then sends it). */
  take(body: Buffer, etag: string, headers: http.IncomingHttpHeaders): boolean;
  /** The exchange ended; if nothing was taken, the client got the answer (or error) directly. */
  settled(): void;
}

/** A fill whose answer was relayed instead of stored: nothing to share with joined requests. */
class NotStored extends Error {
  constructor() {
    super('upstream answer not stored');
    this.name = 'NotStored';
  }
}

const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

/** One proxied request's state, shared by the route handler and the proxy's event listeners. */
interface Exchange {
  readonly route: UpstreamConfig;
  readonly target: UpstreamTarget;
  readonly maps: RequestLinkMaps;
  readonly method: string;
  readonly ifNoneMatch: string | undefined;
  readonly next: NextFunction;
  readonly restoreUrl: () => void;
  readonly capture: Capture | undefined;
  timer: NodeJS.Timeout | undefined;
  timedOut: boolean;
  settled: boolean;
  proxyReq?: http.ClientRequest;
  proxyRes?: http.IncomingMessage;
}

/** Every configured upstream behind gateway authentication; mount on the app root. */
export function upstreamRoutes(opts: UpstreamRoutesOptions): Router {
  const router = Router({ caseSensitive: true, strict: true });
  const targets = opts.upstreams.map((u) => parseUpstreamTarget(u.prefix, u.target));
  const authenticate = authenticateRequests(opts.authenticator);
  opts.upstreams.forEach((route, i) => {
    router.use(route.prefix, authenticate, proxyRoute(route, targets[i] as UpstreamTarget, targets, opts));
  });
  return router;
}

function proxyRoute(
  route: UpstreamConfig,
  target: UpstreamTarget,
  targets: readonly UpstreamTarget[],
  opts: UpstreamRoutesOptions,
): RequestHandler {
  const style: LinkStyle = opts.strict ? 'absolute' : (route.links ?? opts.links);
  const maxBodyBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const exchanges = new WeakMap<http.IncomingMessage, Exchange>();
  // Keep-alive sockets to the upstream. maxSockets stays unlimited: the request body is written in
  // the proxyReq event, which must run before the piped (already consumed) body ends the request.
  const agent = target.origin.startsWith('https:') ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
  const closing = new WeakSet<Server>();

  const events: Plugin<Request, Response> = (proxyServer) => {
    proxyServer.on('proxyReq', (proxyReq, req) => {
      const ex = exchanges.get(req);
      if (ex === undefined) return;
      if (ex.settled) {
        proxyReq.destroy();
        return;
      }
      ex.proxyReq = proxyReq;
      if (ex.method === 'HEAD') proxyReq.method = 'GET';
      writeRewrittenBody(proxyReq, req, ex.maps);
    });
    proxyServer.on('proxyRes', (proxyRes, req, res) => {
      const ex = exchanges.get(req);
      if (ex === undefined || ex.settled) {
        proxyRes.destroy();
        return;
      }
      ex.proxyRes = proxyRes;
      // An exception here would escape http-proxy's 'response' listener and end the process.
      try {
        relay(proxyRes, res, ex);
      } catch (err) {
        proxyRes.destroy();
        fail(ex, res, err);
      }
    });
    proxyServer.on('error', (err, req, res) => {
      const ex = exchanges.get(req);
      if (ex !== undefined && 'setHeader' in res) fail(ex, res, err);
    });
    proxyServer.on('econnreset', (_err, req) => {
      const ex = exchanges.get(req);
      if (ex !== undefined) settle(ex); // the client left first
    });
  };

  const proxy = createProxyMiddleware<Request, Response>({
    target: target.origin,
    changeOrigin: true,
    xfwd: false,
    selfHandleResponse: true,
    agent,
    ejectPlugins: true, // the default plugins would answer errors in plain text
    plugins: [events],
  });

  const fail = (ex: Exchange, res: Response, err: unknown): void => {
    if (ex.settled) return;
    settle(ex);
    const cause = ex.timedOut ? new UpstreamTimeoutError(route.name, route.timeoutMs) : err;
    if (res.headersSent) {
      res.destroy(); // mid-stream: the client sees a cut-off answer, never a wrong one
      return;
    }
    ex.restoreUrl();
    ex.next(cause instanceof ApiError ? cause : proxyErrorToApiError(route.name, cause));
  };

  const cache = opts.cache;
  const resource = upstreamResource(route.name);

  const relay = (proxyRes: http.IncomingMessage, res: Response, ex: Exchange): void => {
    const status = proxyRes.statusCode ?? 502;
    if (cache === undefined || isRead(ex.method) || status < 200 || status > 299) {
      relayNow(proxyRes, res, ex);
      return;
    }
    // A change went through: no stored answer of this upstream may be served after the client
    // saw it succeed (invalidate never rejects).
    void cache.invalidate([resource]).then(() => {
      if (ex.settled) {
        proxyRes.destroy();
        return;
      }
      try {
        relayNow(proxyRes, res, ex);
      } catch (err) {
        proxyRes.destroy();
        fail(ex, res, err);
      }
    });
  };

  const relayNow = (proxyRes: http.IncomingMessage, res: Response, ex: Exchange): void => {
    relayUpstreamAnswer(proxyRes, res, {
      name: route.name,
      method: ex.method,
      ifNoneMatch: ex.ifNoneMatch,
      target,
      toClient: ex.maps.toClient,
      maxBodyBytes,
      capture:
        ex.capture === undefined
          ? undefined
          : (body, etag, headers) => {
              if (!ex.capture!.take(body, etag, headers)) return false;
              settle(ex);
              return true;
            },
      onStreaming: () => {
        // Headers are in: the deadline ends, an idle timeout of the same length guards the stream.
        clearTimeout(ex.timer);
        proxyRes.setTimeout(route.timeoutMs, () => proxyRes.destroy(new UpstreamTimeoutError(route.name, route.timeoutMs)));
      },
      fail: (err) => fail(ex, res, err),
      done: () => settle(ex),
    });
  };

  const settle = (ex: Exchange): void => {
    if (ex.settled) return;
    ex.settled = true;
    clearTimeout(ex.timer);
    ex.capture?.settled();
  };

  const handle: RequestHandler = (req, res, next) => {
    setRoute(res, `${route.prefix}/*`);
    const server = (req.socket as { server?: Server }).server;
    if (server !== undefined && !closing.has(server)) {
      closing.add(server);
      server.once('close', () => agent.destroy());
    }
    const original = req.url;
    const q = original.indexOf('?');
    const rest = q === -1 ? original : original.slice(0, q);
    const search = q === -1 ? '' : original.slice(q + 1);
    if (!isSafeUpstreamPath(rest)) {
      next(ApiError.badRequest('invalid', 'Het pad bevat ongeldige segmenten.'));
      return;
    }
    const base = opts.resolveBase({
      protocol: 'encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http',
      host: req.headers.host ?? '',
      remoteAddress: req.socket.remoteAddress ?? '',
      headers: req.headers,
    });
    const principal = contextOf(res).principal;
    if (cache !== undefined && isRead(req.method) && principal !== undefined) {
      const key = upstreamCacheKey({
        name: route.name,
        clientId: principal.clientId,
        base,
        style,
        pathAndQuery: original,
        accept: req.headers.accept,
      });
      const ifNoneMatch = req.headers['if-none-match'];
      let own = false;
      const fill = (): Promise<Representation> =>
        new Promise<Representation>((resolve, reject) => {
          own = true;
          forward(req, res, next, base, rest, search, {
            take: (body, etag, headers) => {
              const freshnessMs = upstreamFreshnessMs(headers);
              if (freshnessMs === undefined) return false;
              resolve(upstreamRepresentation(body, etag, headers, freshnessMs));
              return true;
            },
            settled: () => reject(new NotStored()),
          });
        });
      cache.get(key, fill).then(
        (rep) => {
          if (!res.writableEnded && !res.destroyed) sendUpstreamRepresentation(req, res, rep, ifNoneMatch);
        },
        (err: unknown) => {
          if (res.headersSent || res.destroyed) return;
          if (!(err instanceof NotStored)) next(err);
          else if (!own) forward(req, res, next, base, rest, search, undefined); // joined a fill that stored nothing
          // else: this request's own exchange answered (relayed, or its error went to next)
        },
      );
      return;
    }
    forward(req, res, next, base, rest, search, undefined);
  };

  const forward = (
    req: Request,
    res: Response,
    next: NextFunction,
    base: PublicBase,
    rest: string,
    search: string,
    capture: Capture | undefined,
  ): void => {
    const original = req.url;
    const maps = linkMapsFor(base, style, targets, opts.nativeApiPath);
    const method = req.method;
    const ifNoneMatch = req.headers['if-none-match'];
    setForwardingHeaders(req, res, base, target);
    if (method === 'GET' || method === 'HEAD') {
      delete req.headers['if-none-match'];
      delete req.headers['if-modified-since'];
    }
    const ex: Exchange = {
      route,
      target,
      maps,
      method,
      ifNoneMatch,
      next,
      restoreUrl: () => {
        req.url = original;
      },
      capture,
      timer: undefined,
      timedOut: false,
      settled: false,
    };
    exchanges.set(req, ex);
    ex.timer = setTimeout(() => {
      ex.timedOut = true;
      const { proxyReq, proxyRes } = ex;
      fail(ex, res, new UpstreamTimeoutError(route.name, route.timeoutMs));
      proxyRes?.destroy();
      proxyReq?.destroy();
    }, route.timeoutMs);
    res.once('close', () => {
      if (ex.settled) return;
      settle(ex); // the client left: stop asking the upstream
      ex.proxyReq?.destroy();
    });
    req.url = upstreamPath(target, rest, rewriteQuery(search, maps.toUpstream));
    void proxy(req, res, (err?: unknown) => {
      if (ex.settled) return;
      settle(ex);
      ex.restoreUrl();
      next(err);
    });
  };

  return handle;
}

function isRead(method: string): boolean {
  return method === 'GET' || method === 'HEAD';
}

function setForwardingHeaders(req: Request, res: Response, base: PublicBase, target: UpstreamTarget): void {
  const h = req.headers;
  const peer = req.socket.remoteAddress ?? '';
  const priorFor = isTrustedPeer(req) && typeof h['x-forwarded-for'] === 'string' ? h['x-forwarded-for'] : '';
  h['x-forwarded-for'] = priorFor === '' ? peer : `${priorFor}, ${peer}`;
  const schemeEnd = base.origin.indexOf('://');
  h['x-forwarded-proto'] = base.origin.slice(0, schemeEnd);
  h['x-forwarded-host'] = base.origin.slice(schemeEnd + 3);
  const prefix = forwardedPrefixFor(base, target);
  if (prefix === undefined) delete h['x-forwarded-prefix'];
  else h['x-forwarded-prefix'] = prefix;
  delete h.forwarded;
  h['x-request-id'] = requestIdOf(res);
  // Answers are read and rewritten here; compression on the upstream hop buys nothing.
  h['accept-encoding'] = 'identity';
}

/**
 * A JSON body was already consumed by the platform's body parser: send it again, with public
 * gateway URLs turned into the upstream's own.
 */
function writeRewrittenBody(proxyReq: http.ClientRequest, req: Request, maps: RequestLinkMaps): void {
  if (!req.readableEnded || req.body === undefined || !isJsonMediaType(req.headers['content-type'])) return;
  const body = Buffer.from(JSON.stringify(rewriteUrls(req.body as unknown, maps.toUpstream.from, maps.toUpstream.to)), 'utf8');
  proxyReq.removeHeader('transfer-encoding');
  proxyReq.setHeader('Content-Length', body.length);
  proxyReq.write(body);
}
