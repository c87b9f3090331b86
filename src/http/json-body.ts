// JSON request bodies: 415 for anything that is not JSON on POST/PUT/PATCH, 413 above the limit,
// 400 for malformed JSON (the error middleware renders the last two from body-parser's errors).
import express from 'express';
import type { Request, RequestHandler } from 'express';
import { ApiError } from './problem.ts';

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/** `application/json` or any `application/*+json` (merge-patch, problem). */
export function isJsonMediaType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const semi = contentType.indexOf(';');
  const type = (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

function hasBody(req: Request): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length !== '0';
}

export interface JsonBodyOptions {
  limitBytes: number;
}

export function jsonBody(opts: JsonBodyOptions): RequestHandler[] {
  const checkType: RequestHandler = (req, _res, next) => {
    if (!WITH_BODY.has(req.method)) return next();
    const contentType = req.headers['content-type'];
    // A bodiless request without a Content-Type is left to the route (it fails validation there).
    if (contentType === undefined && !hasBody(req)) return next();
    if (!isJsonMediaType(contentType)) return next(ApiError.unsupportedMediaType(contentType));
    next();
  };
  const parse = express.json({
    limit: opts.limitBytes,
    strict: false,
    type: (req) => WITH_BODY.has(req.method ?? '') && isJsonMediaType(req.headers['content-type']),
  });
  return [checkType, parse];
}
