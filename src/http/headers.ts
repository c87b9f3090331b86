// Headers every response carries, errors and 404s included: the API version the standard
// requires, and the usual hardening for a JSON API that browsers should never render or frame.
import type { RequestHandler } from 'express';

export const API_VERSION = '1.0.0';

export function baseHeaders(apiVersion: string = API_VERSION): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('API-version', apiVersion);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.removeHeader('X-Powered-By');
    next();
  };
}
