// The cache's entry in /readyz: non-critical, because with Redis down the gateway answers from the
// backend (slower, never wrong); taking instances out of the load balancer for it would turn a
// degraded cache into an outage.
import { ReadinessCheckError, type ReadinessCheck } from '../ops/readiness.ts';
import type { RepresentationCache } from './representation-cache.ts';

export function redisReadinessCheck(cache: RepresentationCache): ReadinessCheck {
  return {
    name: 'redis',
    critical: false,
    async check() {
      const h = cache.health();
      if (h.redis === undefined) return { mode: 'memory' };
      const facts = { state: h.redis.state, subscribed: h.redis.subscribed, errors: h.redis.errors };
      if (h.degraded) throw new ReadinessCheckError(h.redis.lastError ?? `redis ${h.redis.state}`, facts);
      return facts;
    },
  };
}
