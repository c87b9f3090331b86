// The Express application: platform middleware, authentication, the Klanten API routes, errors.
// Composition (which backend, which cache) happens in gateway.ts; this module only wires HTTP.
import express, { type Express } from 'express';
import type { Authenticator } from './auth/index.ts';
import { authenticateRequests } from './auth/index.ts';
import type { Config } from './config/index.ts';
import { configureApp, errorMiddleware, platformMiddleware, type Logger } from './http/index.ts';
import { klantenRoutes } from './klanten/routes.ts';
import type { KlantenService } from './klanten/klanten-service.ts';
import { createPublicBaseResolver } from './representation/links.ts';
import { oasRoutes } from './oas/routes.ts';
import { expandTrustProxy } from './config/trust-proxy.ts';
import { httpMetrics, opsRoutes, type OpsRoutesOptions } from './ops/index.ts';

export interface AppDeps {
  config: Config;
  logger: Logger;
  authenticator: Authenticator;
  service: KlantenService;
  /** /healthz, /readyz, /metrics and HTTP metrics; absent = none. */
  ops?: OpsRoutesOptions;
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

  const resolveBase = createPublicBaseResolver({
    trustProxy: expandTrustProxy(config.server.trustProxy),
    publicBaseUrl: config.server.publicBaseUrl,
  });

  // The OpenAPI document is public (catalogues read it); everything else needs a token.
  app.use(API_PATH, oasRoutes({ strict: config.server.strict, resolveBase }));
  app.use(API_PATH, authenticateRequests(deps.authenticator));
  app.use(
    API_PATH,
    klantenRoutes({ service: deps.service, resolveBase, links: config.server.links, strict: config.server.strict }),
  );

  app.use(errorMiddleware(logger));
  return app;
}
