// Public surface of the representation cache (issue 4). How the pieces fit:
//
//   keys.ts                 cache key = resource + every input that changes the bytes
//   memory-tier.ts          in-process LRU (bytes-bounded), per-resource index
//   shared-tier.ts          Redis: entries guarded by per-resource generations, fill locks
//   invalidation-bus.ts     pub/sub with acknowledgements: every instance drops its copies
//   single-flight.ts        one fill per key per instance
//   representation-cache.ts the tiers together: get / invalidate / health
//   fast-path.ts            cache hits answered before Express (raw node:http listener)
//   send.ts                 200/HEAD/304 with the strong ETag (shared by Express and fast path)
//   conditional.ts          If-Match for writes
//
// ── For the write path (POST/PUT/PATCH/DELETE) ──────────────────────────────────────────────
// After the backend accepted the change and BEFORE sending the response:
//     await cache.invalidateKlant(id);   // PUT / PATCH / DELETE: the klant and every list page
//     await cache.invalidateLists();     // POST (create): every list page
//     await cache.invalidate([klantResource(id), LISTS_RESOURCE]);   // the general form
// (gateway.ts hands the cache to the write side as klanten/write-setup.ts cacheInvalidationPort.)
// They never reject (Redis trouble is logged and counted; other instances then converge within
// cache.ttlSeconds) and resolve once every other instance confirmed dropping its in-process copies
// (or after ~250 ms). Calling them after the response would let the writer read its old version.
// Conditional writes: checkIfMatch(req.headers['if-match'], currentEtag) throws the 412 ApiError;
// currentEtag = toRepresentation(renderKlant(linker.url(`klanten/${id}`), current.data)).etag
// for the klant just read from the backend, with the request's own linker (klanten/respond.ts).
//
// ── For readiness and metrics ───────────────────────────────────────────────────────────────
// cache.health() (CacheHealth): mode, degraded, Redis state/errors/subscription, in-process tier
// size, counters. Redis down is `degraded: true` — answers still come from the backend.
// redisReadinessCheck(cache) is a non-critical ReadinessCheck for ops/readiness.ts.
// Prometheus: pass GatewayMetrics' `cache` and `redis` as options.metrics (same shapes); the fast
// path reports its requests through FastPathOptions.observeRequest (GatewayMetrics.observeRequest).
// Rate limiting: when the Express stack gets a limiter, hand the same one to createFastPath.
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { CacheConfig, RedisConfig } from '../config/schema.ts';
import { RepresentationCache, type CacheObserver, type RedisStateObserver } from './representation-cache.ts';

export { RepresentationCache } from './representation-cache.ts';
export type {
  CacheCounters,
  CacheHealth,
  CacheObserver,
  InvalidationOutcome,
  RedisStateObserver,
  RepresentationCacheOptions,
} from './representation-cache.ts';
export type { Representation } from './memory-tier.ts';
export { klantCacheKey, listCacheKey, klantResource, rawQueryOf, LISTS_RESOURCE, type CacheKey } from './keys.ts';
export { createFastPath, type FastPath, type FastPathOptions } from './fast-path.ts';
export { sendRepresentation, REPRESENTATION_CACHE_CONTROL, REPRESENTATION_VARY } from './send.ts';
export { checkIfMatch } from './conditional.ts';
export { redisReadinessCheck } from './readiness-check.ts';

/**
 * A namespace from the deployment-wide inputs of the bytes (page size, mapping file text, API
 * version, strict mode...): instances that render differently never share Redis entries.
 */
export function cacheNamespace(parts: Record<string, string | number | boolean>): string {
  const text = JSON.stringify(Object.keys(parts).sort().map((k) => [k, parts[k]]));
  return createHash('sha256').update(text).digest('base64url').slice(0, 16);
}

export interface CreateCacheOptions {
  cache: CacheConfig;
  redis: RedisConfig;
  namespace: string;
  logger: Logger;
  metrics?: { cache?: CacheObserver; redis?: RedisStateObserver };
}

/** The cache as configured: Redis when redis.url/sentinel/cluster is set, else in-process only. */
export function createRepresentationCache(opts: CreateCacheOptions): RepresentationCache {
  return new RepresentationCache({
    ttlSeconds: opts.cache.ttlSeconds,
    l1MaxEntries: opts.cache.l1MaxEntries,
    l1MaxBytes: opts.cache.l1MaxBytes,
    redis: opts.redis,
    namespace: opts.namespace,
    logger: opts.logger,
    metrics: opts.metrics,
  });
}
