// Public surface of the operations layer: metrics, health/readiness endpoints, graceful close.
export { GatewayMetrics, METRIC_PREFIX } from './metrics.ts';
export type { BackendCallObservation, BackendGaugeSource, CacheMetrics, CacheTier, RedisMetrics, RedisState } from './metrics.ts';
export { httpMetrics, UNROUTED } from './http-metrics.ts';
export { observeResilience, observeStufCalls, errorSummary } from './backend-observer.ts';
export { Readiness, ReadinessCheckError } from './readiness.ts';
export type { CheckFacts, CheckResult, ReadinessCheck, ReadinessOptions, ReadinessReport, ReadinessStatus } from './readiness.ts';
export { backendReadinessCheck } from './backend-check.ts';
export { opsRoutes, OPS_PATHS } from './routes.ts';
export type { OpsRoutesOptions } from './routes.ts';
export { gracefulCloser } from './graceful-close.ts';
export type { GracefulCloser } from './graceful-close.ts';
