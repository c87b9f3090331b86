// The platform middleware in the order it must run, and the two handlers that end the chain.
//   app.use(platformMiddleware({ server, logger }))  … routes …  app.use(errorMiddleware(logger))
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { ServerConfig } from '../config/schema.ts';
import { cors } from './cors.ts';
import { errorHandler, notFoundHandler } from './error-handler.ts';
import { baseHeaders } from './headers.ts';
import { jsonBody } from './json-body.ts';
import { requestLogger } from './logger.ts';
import { requestId } from './request-id.ts';
import { rejectTrailingSlash } from './trailing-slash.ts';

export interface PlatformOptions {
  server: Pick<ServerConfig, 'bodyLimitBytes' | 'cors'>;
  logger: Logger;
  /** Paths that may end in a slash (e.g. an API root). */
  allowTrailingSlash?: readonly string[];
}

export function platformMiddleware(opts: PlatformOptions): RequestHandler[] {
  return [
    requestId(),
    baseHeaders(),
    requestLogger(opts.logger),
    cors({ origins: opts.server.cors.origins }),
    rejectTrailingSlash({ allow: opts.allowTrailingSlash ?? [] }),
    ...jsonBody({ limitBytes: opts.server.bodyLimitBytes }),
  ];
}

export function errorMiddleware(logger: Logger): [RequestHandler, ErrorRequestHandler] {
  return [notFoundHandler(), errorHandler(logger)];
}
