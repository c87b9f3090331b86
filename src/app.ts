// The Express application: platform middleware, authentication, the Klanten API routes, errors.
// Composition (which backend, which cache) happens in gateway.ts; this module only wires HTTP.
import express, { type Express } from 'express';
import type { Authenticator } from './auth/index.ts';
import { authenticateRequests } from './auth/index.ts';
import type { Config } from './config/index.ts';
import { configureApp, errorMiddleware, platformMiddleware, type Logger } from './http/index.ts';
import { rateLimit, type RateLimiter } from './http/rate-limit.ts';
import { klantenRoutes } from './klanten/routes.ts';
import type { KlantenService } from './klanten/klanten-service.ts';
import { klantenWriteRoutes } from './klanten/write-routes.ts';
import type { WriteSide } from './klanten/write-setup.ts';
import { auditRoutes, type AuditTrailReader } from './klanten/audit-routes.ts';
import { createPublicBaseResolver, type LinkStyle, type PublicBase, type PublicBaseRequest } from './representation/links.ts';
import type { RepresentationCache } from './cache/index.ts';
import { oasRoutes } from './oas/routes.ts';
import { expandTrustProxy } from './config/trust-proxy.ts';
import { upstreamRoutes } from './proxy/index.ts';
import { httpMetrics, opsRoutes, type OpsRoutesOptions } from './ops/index.ts';

export interface AppDeps {
  config: Config;
  logger: Logger;
  authenticator: Authenticator;
  service: KlantenService;
  /** klant_create / update / partial_update / delete; absent = read-only API. */
  writes?: Pick<WriteSide, 'service' | 'idempotency'>;
  /** /healthz, /readyz, /metrics and HTTP metrics; absent = none. */
  ops?: OpsRoutesOptions;
  /** Representation cache for klant_read / klant_list; absent = no caching. */
  cache?: RepresentationCache;
  /** audittrail_list / audittrail_read; absent = not served. */
  audit?: AuditTrailReader;
  /** Per-client rate limit (429) after authentication, API and upstreams; absent = none. */
  rateLimiter?: RateLimiter;
}

export const API_PATH = '/api/v1';

export function createApp(deps: AppDeps): Express {
  const { config, logger } = deps;
  const app = express();
  configureApp(app, config.server);
  if (deps.ops) {
    // Before the request log and authentication: probes and scrapes are public and frequent.
    if (deps.ops.metrics) app.use(httpMetrics(deps.ops.metrics));
    app.use(opsRoutes(deps.ops));
  }
  app.use(platformMiddleware({ server: config.server, logger }));

  const resolveBase = publicBaseResolverFor(config.server);
  const linkStyle = linkStyleFor(config.server);

  // The OpenAPI document is public (catalogues read it); everything else needs a token.
  app.use(API_PATH, oasRoutes({ strict: config.server.strict, resolveBase }));
  app.use(API_PATH, authenticateRequests(deps.authenticator));
  if (deps.rateLimiter) app.use(API_PATH, rateLimit(deps.rateLimiter));
  if (deps.writes) {
    app.use(
      API_PATH,
      klantenWriteRoutes({ ...deps.writes, resolveBase, links: linkStyle, strict: config.server.strict }),
    );
  }
  if (deps.audit) {
    app.use(API_PATH, auditRoutes({ audit: deps.audit, klanten: deps.service, resolveBase, links: linkStyle }));
  }
  app.use(
    API_PATH,
    klantenRoutes({ service: deps.service, resolveBase, links: linkStyle, strict: config.server.strict, cache: deps.cache }),
  );
  // REST upstreams (config `upstreams`): their own prefixes, gateway authentication inside.
  if (config.upstreams.length > 0) {
    if (deps.rateLimiter) {
      // The upstream routes authenticate again; the verified-token cache makes that a lookup.
      app.use(config.upstreams.map((u) => u.prefix), authenticateRequests(deps.authenticator), rateLimit(deps.rateLimiter));
    }
    app.use(
      upstreamRoutes({
        upstreams: config.upstreams,
        authenticator: deps.authenticator,
        resolveBase,
        links: linkStyle,
        strict: config.server.strict,
        nativeApiPath: API_PATH,
        // GET answers of upstreams are stored like native ones; TTL 0 = every GET reaches the upstream.
        cache: config.cache.ttlSeconds > 0 ? deps.cache : undefined,
      }),
    );
  }

  app.use(errorMiddleware(logger));
  return app;
}

/** The public base of a request as every route (and the cache fast path) computes it. */
export function publicBaseResolverFor(server: Config['server']): (req: PublicBaseRequest) => PublicBase {
  return createPublicBaseResolver({ trustProxy: expandTrustProxy(server.trustProxy), publicBaseUrl: server.publicBaseUrl });
}

/** Relative links are an extension: strict mode serves the standard's absolute links. */
export function linkStyleFor(server: Config['server']): LinkStyle {
  return server.strict ? 'absolute' : server.links;
}
