// Correlation id: the caller's X-Request-ID when it is harmless (short, plain characters — it
// ends up in logs and headers), otherwise a fresh UUID; echoed on the response.
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { contextOf } from './context.ts';

const SANE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export function isSaneRequestId(value: string | undefined): value is string {
  return value !== undefined && SANE_REQUEST_ID.test(value);
}

export function requestId(): RequestHandler {
  return (req, res, next) => {
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && isSaneRequestId(given) ? given : randomUUID();
    contextOf(res).requestId = id;
    res.setHeader('X-Request-ID', id);
    next();
  };
}
