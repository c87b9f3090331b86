// Composition of the write side (called from gateway.ts): the shared stores (Redis when the config
// names one, in-process otherwise), kla-001, the subject check, the write service and the
// Idempotency-Key handling, and the reconciler of creates accepted but not read back. Neighbours
// (audit trail, notifications, cache) come in as ports.
import type { KlantenBackend } from '../backend/klanten-backend.ts';
import { createRedisClient, redisConfigured, type RedisClient } from '../cache/redis-connection.ts';
import type { Config } from '../config/index.ts';
import { readyOrTimeout } from '../redis/ready.ts';
import type { Logger } from '../http/index.ts';
import type { KlantIdentity } from '../identity/klant-identity.ts';
import { CreateReconciler, type PendingCreate, type ReconcileOutcome, type StoredPendingCreate } from './create-reconciler.ts';
import { IdempotentCreates } from './idempotency.ts';
import { PendingCreatesStore } from './pending-creates-store.ts';
import type { KlantenService } from './klanten-service.ts';
import { Kla001 } from './klantnummer-uniqueness.ts';
import { SubjectChecker } from './subject-check.ts';
import type { CacheInvalidationPort, WritePorts } from './write-ports.ts';
import { KlantenWriteService } from './write-service.ts';
import { createWriteStores } from './write-stores.ts';

export interface WriteSide {
  service: KlantenWriteService;
  idempotency: IdempotentCreates;
  /** The write side's own Redis client, when Redis is configured. */
  redis: RedisClient | undefined;
  reconciler: CreateReconciler;
  /**
   * Ends running create reconciliations within `deadlineMs` (each makes one last lookup; the rest
   * is abandoned, logged and counted — with Redis their records stay there, leases ended, for another
   * instance to take over), then closes the stores. Call before the backend closes.
   */
  close(deadlineMs?: number): Promise<void>;
}

export interface WriteSideDeps {
  config: Config;
  backend: KlantenBackend;
  identity: KlantIdentity;
  reads: KlantenService;
  logger: Logger;
  /** Audit trail, notifications, cache invalidation; subjectCheck defaults to SubjectChecker(config.subjectCheck). */
  ports?: WritePorts;
  /** Counts how create reconciliations end (ops/metrics.ts GatewayMetrics fits). */
  metrics?: { createReconciled(outcome: ReconcileOutcome): void };
}

export async function createWriteSide(deps: WriteSideDeps): Promise<WriteSide> {
  const { config, logger } = deps;
  const redis = redisConfigured(config.redis) ? await readyOrTimeout(createRedisClient(config.redis, 'klantbrug-writes', { waitForReconnect: true }), { timeoutMs: config.redis.connectTimeoutMs, logger, label: 'write side' }) : undefined;
  const stores = createWriteStores(redis, config.redis.keyPrefix);
  const kla001 = new Kla001(deps.backend, stores);
  const ports: WritePorts = { subjectCheck: new SubjectChecker(config.subjectCheck), ...deps.ports };
  const metrics = deps.metrics;
  const reconciler = new CreateReconciler({
    backend: deps.backend,
    windowMs: config.backend.createReconcileWindowMs,
    logger,
    onOutcome: metrics ? (outcome) => metrics.createReconciled(outcome) : undefined,
    // With Redis, pending creates survive this instance: another one completes them.
    ...(redis ? { store: new PendingCreatesStore(redis, config.redis.keyPrefix), revive: (p: StoredPendingCreate): PendingCreate => service.pendingCreate(p.filter, p.requestId, p.context) } : {}),
  });
  const service = new KlantenWriteService({
    backend: deps.backend,
    identity: deps.identity,
    reads: deps.reads,
    kla001,
    ports,
    options: { strict: config.server.strict },
    logger,
    reconciler,
  });
  return {
    service,
    idempotency: new IdempotentCreates(stores.idempotency),
    redis,
    reconciler,
    async close(deadlineMs = 2_000) {
      await reconciler.close(deadlineMs);
      redis?.disconnect();
    },
  };
}

/**
 * The representation cache (src/cache) as the write side's invalidation port: a create makes every
 * list page stale, a change or delete the klant and every list page.
 */
export function cacheInvalidationPort(cache: {
  invalidateKlant(id: string): Promise<unknown>;
  invalidateLists(): Promise<unknown>;
}): CacheInvalidationPort {
  return {
    async afterWrite(change) {
      if (change.actie === 'create') await cache.invalidateLists();
      else await cache.invalidateKlant(change.id);
    },
  };
}

