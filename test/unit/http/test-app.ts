// A small real Express app with the full platform middleware, on a loopback port, for the HTTP tests.
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Express } from 'express';
import { createAuthenticator } from '../../../src/auth/authenticator.ts';
import { authenticateRequests, principalOf, requireScopeMiddleware } from '../../../src/auth/middleware.ts';
import { configureApp } from '../../../src/http/app-settings.ts';
import { setRoute } from '../../../src/http/context.ts';
import { createLogger } from '../../../src/http/logger.ts';
import { acceptJson } from '../../../src/http/negotiate.ts';
import { errorMiddleware, platformMiddleware } from '../../../src/http/platform.ts';
import { ApiError } from '../../../src/http/problem.ts';
import { createRateLimiter, rateLimit } from '../../../src/http/rate-limit.ts';

export const CLIENT = { clientId: 'tester', secret: 'tester-secret' };
export const BODY_LIMIT = 1024;

export interface TestApp {
  base: string;
  logLines: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startTestApp(opts: { origins?: string[]; perClientPerMinute?: number } = {}): Promise<TestApp> {
  const logLines: Array<Record<string, unknown>> = [];
  const logger = createLogger({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line)) });
  const authenticator = createAuthenticator({
    clients: [{ ...CLIENT, scopes: ['klanten.lezen'], heeftAlleAutorisaties: false, applicatieWeergave: 'Test' }],
    leewaySeconds: 60,
    tokenCacheSize: 10,
  });

  const app: Express = express();
  configureApp(app, { trustProxy: ['loopback'] });
  app.use(platformMiddleware({ server: { bodyLimitBytes: BODY_LIMIT, cors: { origins: opts.origins ?? [] } }, logger }));
  app.get('/ping', (_req, res) => {
    res.json({ pong: true });
  });
  app.post('/echo', (req, res) => {
    res.status(201).json({ got: req.body as unknown });
  });
  app.get('/boom', () => {
    throw new Error('database password is hunter2');
  });
  app.get('/teapot', () => {
    throw ApiError.validation([{ name: 'adres.postcode', code: 'invalid', reason: 'Geen geldige postcode.' }]);
  });
  app.get('/json-only', acceptJson(), (_req, res) => {
    res.json({});
  });
  const limiter = createRateLimiter({ perClientPerMinute: opts.perClientPerMinute ?? 0, burst: 2 });
  app.get(
    '/secure/:id',
    authenticateRequests(authenticator),
    rateLimit(limiter),
    requireScopeMiddleware('klanten.lezen'),
    (_req, res) => {
      setRoute(res, '/secure/:id');
      res.json({ clientId: principalOf(res).clientId });
    },
  );
  app.delete('/secure/:id', authenticateRequests(authenticator), requireScopeMiddleware('klanten.verwijderen'), (_req, res) => {
    res.status(204).end();
  });
  app.use(errorMiddleware(logger));

  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    logLines,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
