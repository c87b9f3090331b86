// Per-request state the platform middleware shares with handlers (request id, principal, logger,
// route pattern, the problem sent), kept under one symbol in res.locals so nothing collides.
import { randomUUID } from 'node:crypto';
import type { Response } from 'express';
import type { Logger } from 'pino';
import type { Principal } from '../auth/principal.ts';

export interface RequestContext {
  requestId: string;
  /** performance.now() when the request entered the platform middleware. */
  startedAt: number;
  principal?: Principal;
  /** Child logger carrying the request id (set by the request logger). */
  log?: Logger;
  /** Route pattern for logs and metrics, e.g. `/api/v1/klanten/:uuid`. */
  route?: string;
  /** The problem sent, if any (logged with the request). */
  problem?: { code: string; instance: string };
}

const CONTEXT = Symbol('klantbrug.requestContext');

type WithContext = { [CONTEXT]?: RequestContext };

/** The request's context; created on first use so handlers work even without the full middleware stack. */
export function contextOf(res: Response): RequestContext {
  const locals = res.locals as WithContext;
  let ctx = locals[CONTEXT];
  if (ctx === undefined) {
    ctx = { requestId: randomUUID(), startedAt: performance.now() };
    locals[CONTEXT] = ctx;
  }
  return ctx;
}

export function requestIdOf(res: Response): string {
  return contextOf(res).requestId;
}

/** Names the route pattern for the request log (Express forgets mount paths by the time it is written). */
export function setRoute(res: Response, pattern: string): void {
  contextOf(res).route = pattern;
}
