// The operations endpoints, outside the API and its authentication:
//   /healthz  the process is alive and serving HTTP (200 while draining too: a liveness probe
//             must not kill an instance that is finishing its requests)
//   /readyz   may it get traffic (200 ready/degraded, 503 not_ready/draining; JSON per check)
//   /metrics  Prometheus text format
// Mounted before the request log, so probes and scrapes do not flood the log.
import { Router, type Response } from 'express';
import { setRoute } from '../http/context.ts';
import type { GatewayMetrics } from './metrics.ts';
import type { Readiness } from './readiness.ts';

export interface OpsRoutesOptions {
  readiness: Readiness;
  metrics?: GatewayMetrics;
}

export const OPS_PATHS = { health: '/healthz', ready: '/readyz', metrics: '/metrics' } as const;

export function opsRoutes(opts: OpsRoutesOptions): Router {
  const router = Router();

  router.get(OPS_PATHS.health, (_req, res) => {
    setRoute(res, OPS_PATHS.health);
    sendJson(res, 200, { status: 'ok' });
  });

  router.get(OPS_PATHS.ready, async (_req, res) => {
    setRoute(res, OPS_PATHS.ready);
    const report = await opts.readiness.report();
    const ok = report.status === 'ready' || report.status === 'degraded';
    sendJson(res, ok ? 200 : 503, report);
  });

  const metrics = opts.metrics;
  if (metrics) {
    router.get(OPS_PATHS.metrics, async (_req, res) => {
      setRoute(res, OPS_PATHS.metrics);
      const { contentType, body } = await metrics.render();
      res.status(200).setHeader('Content-Type', contentType).setHeader('Cache-Control', 'no-store').end(body);
    });
  }
  return router;
}

function sendJson(res: Response, status: number, body: unknown): void {
  res.status(status).setHeader('Content-Type', 'application/json').setHeader('Cache-Control', 'no-store');
  res.end(JSON.stringify(body));
}
