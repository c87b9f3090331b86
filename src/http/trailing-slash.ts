// `/klanten/` is not `/klanten`: a trailing slash is a 404, never a redirect (a redirect would
// turn a POST into a GET in many clients and hide the client's mistake).
import type { RequestHandler } from 'express';
import { ApiError } from './problem.ts';

export function rejectTrailingSlash(opts: { allow?: readonly string[] } = {}): RequestHandler {
  const allow = new Set(opts.allow ?? []);
  return (req, _res, next) => {
    const p = req.path;
    if (p.length > 1 && p.endsWith('/') && !allow.has(p)) return next(ApiError.notFound());
    next();
  };
}
