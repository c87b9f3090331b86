// Counts every HTTP request once it ends (sent or aborted), labelled by the route pattern the
// handler named (setRoute) — never the raw path, which carries ids. Requests that ended before any
// route named itself (401, unknown paths, body too large) share one label.
import type { RequestHandler } from 'express';
import { contextOf } from '../http/context.ts';
import type { GatewayMetrics } from './metrics.ts';

export const UNROUTED = '(unrouted)';

export function httpMetrics(metrics: GatewayMetrics): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    let recorded = false;
    const record = (): void => {
      if (recorded) return;
      recorded = true;
      const route = contextOf(res).route ?? UNROUTED;
      metrics.observeRequest(req.method, route, res.statusCode, (performance.now() - started) / 1000);
    };
    res.once('finish', record);
    res.once('close', record);
    next();
  };
}
