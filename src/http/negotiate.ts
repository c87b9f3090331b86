// 406 for clients that accept neither JSON nor problem+json (no Accept header = anything goes).
import type { RequestHandler } from 'express';
import { ApiError } from './problem.ts';

export function acceptJson(): RequestHandler {
  return (req, _res, next) => {
    if (req.headers.accept === undefined || req.accepts(['application/json', 'application/problem+json'])) return next();
    next(ApiError.notAcceptable());
  };
}
