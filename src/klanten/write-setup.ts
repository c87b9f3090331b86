// Composition of the write side (called from gateway.ts): the shared stores (Redis when the config
// names one, in-process otherwise), kla-001, the subject check, the write service and the
// Idempotency-Key handling. Neighbours (audit trail, notifications, cache) come in as ports.
import type { KlantenBackend } from '../backend/klanten-backend.ts';
import { createRedisClient, redisConfigured, type RedisClient } from '../cache/redis-connection.ts';
import type { Config } from '../config/index.ts';
import { readyOrTimeout } from '../redis/ready.ts';
import type { Logger } from '../http/index.ts';
import type { KlantIdentity } from '../identity/klant-identity.ts';
import { IdempotentCreates } from './idempotency.ts';
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
  close(): Promise<void>;
}

export interface WriteSideDeps {
  config: Config;
  backend: KlantenBackend;
  identity: KlantIdentity;
  reads: KlantenService;
  logger: Logger;
  /** Audit trail, notifications, cache invalidation; subjectCheck defaults to SubjectChecker(config.subjectCheck). */
  ports?: WritePorts;
}

export async function createWriteSide(deps: WriteSideDeps): Promise<WriteSide> {
  const { config, logger } = deps;
  const redis = redisConfigured(config.redis) ? await readyOrTimeout(createRedisClient(config.redis, 'klantbrug-writes'), { timeoutMs: config.redis.connectTimeoutMs, logger, label: 'write side' }) : undefined;
  const stores = createWriteStores(redis, config.redis.keyPrefix);
  const kla001 = new Kla001(deps.backend, stores);
  const ports: WritePorts = { subjectCheck: new SubjectChecker(config.subjectCheck), ...deps.ports };
  const service = new KlantenWriteService({
    backend: deps.backend,
    identity: deps.identity,
    reads: deps.reads,
    kla001,
    ports,
    options: { strict: config.server.strict },
    logger,
  });
  return {
    service,
    idempotency: new IdempotentCreates(stores.idempotency),
    redis,
    async close() {
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

