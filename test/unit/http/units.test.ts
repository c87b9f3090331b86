import type { AddressInfo } from 'node:net';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { errorHandler } from '../../../src/http/error-handler.ts';
import { createLogger } from '../../../src/http/logger.ts';
import { ApiError, toProblemBody } from '../../../src/http/problem.ts';
import { createRateLimiter } from '../../../src/http/rate-limit.ts';
import { rejectTrailingSlash } from '../../../src/http/trailing-slash.ts';

describe('toProblemBody', () => {
  it('always gives a 400 invalidParams, other statuses only when set', () => {
    expect(toProblemBody(ApiError.badRequest('wijzigen-niet-toegelaten', 'subjectType wijzigt'), 'urn:uuid:x')).toEqual({
      type: 'urn:klantbrug:fout:wijzigen-niet-toegelaten',
      code: 'wijzigen-niet-toegelaten',
      title: 'Ongeldige aanvraag.',
      status: 400,
      detail: 'subjectType wijzigt',
      instance: 'urn:uuid:x',
      invalidParams: [],
    });
    expect(toProblemBody(ApiError.notFound())).not.toHaveProperty('invalidParams');
  });

  it('never has an empty detail (required non-empty by the OAS)', () => {
    const e = ApiError.conflict();
    expect(e.detail).toBe(e.title);
    expect(ApiError.methodNotAllowed('PUT', ['GET', 'POST']).headers).toEqual({ Allow: 'GET, POST' });
    expect(ApiError.serviceUnavailable(2.2).headers).toEqual({ 'Retry-After': '3' });
  });
});

describe('createRateLimiter', () => {
  it('allows a burst, then refills at the configured rate, per client', () => {
    let now = 0;
    const limiter = createRateLimiter({ perClientPerMinute: 60, burst: 2 }, () => now);
    expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('a').ok).toBe(true);
    const third = limiter.take('a');
    expect(third).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(limiter.take('b').ok).toBe(true);
    now += 1000;
    expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('a').ok).toBe(false);
  });

  it('is off at 0 per minute', () => {
    const limiter = createRateLimiter({ perClientPerMinute: 0, burst: 1 }, () => 0);
    for (let i = 0; i < 10; i++) expect(limiter.take('a').ok).toBe(true);
  });
});

describe('rejectTrailingSlash', () => {
  it('404s a trailing slash even where the router would match it', async () => {
    const app = express(); // default (non-strict) routing: /ping/ would reach the /ping route
    app.use(rejectTrailingSlash({ allow: ['/api/'] }));
    app.get('/ping', (_req, res) => void res.send('pong'));
    app.get('/api/', (_req, res) => void res.send('root'));
    app.use(errorHandler(createLogger({ level: 'silent' })));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect((await fetch(`${base}/ping`)).status).toBe(200);
      expect((await fetch(`${base}/ping/`)).status).toBe(404);
      expect((await fetch(`${base}/api/`)).status).toBe(200);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
