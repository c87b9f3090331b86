// CORS for browser consumers on the configured origins only ("*" = any). Without configured
// origins no CORS headers are sent, so browsers on other sites cannot read the API.
import type { RequestHandler } from 'express';

const ALLOW_HEADERS =
  'Authorization, Content-Type, Accept, Accept-Crs, Content-Crs, If-Match, If-None-Match, Idempotency-Key, X-Request-ID';
const EXPOSE_HEADERS = 'API-version, ETag, Location, Retry-After, X-Request-ID, Link';
const ALLOW_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';

export function cors(opts: { origins: readonly string[] }): RequestHandler {
  const any = opts.origins.includes('*');
  const allowed = new Set(opts.origins);
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (allowed.size === 0 || origin === undefined) return next();
    res.vary('Origin');
    if (!any && !allowed.has(origin)) return next();
    res.setHeader('Access-Control-Allow-Origin', any ? '*' : origin);
    res.setHeader('Access-Control-Expose-Headers', EXPOSE_HEADERS);
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      res.setHeader('Access-Control-Allow-Methods', ALLOW_METHODS);
      res.setHeader('Access-Control-Allow-Headers', ALLOW_HEADERS);
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}
