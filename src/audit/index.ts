// The audit trail (src/audit): construction from config. Store choice (config `audit.store`):
// - redis (auto when Redis is configured): entries shared by every instance, durable as Redis'
//   AOF is (redis-audit-store.ts); a warning is logged when Redis runs without appendonly;
// - file (auto when `audit.file` is set): append-only JSONL, fsync'ed before `record` resolves,
//   index rebuilt from the file at start-up (file-audit-store.ts);
// - memory: lost on restart; `auto` falls back to it with a warning when neither is configured.
import type { AuditConfig } from '../config/schema.ts';
import type { Logger } from '../http/index.ts';
import { AuditTrail } from './audit-trail.ts';
import type { AuditStore } from './audit-store.ts';
import { FileAuditStore } from './file-audit-store.ts';
import { MemoryAuditStore } from './memory-audit-store.ts';
import { RedisAuditStore, type AuditRedis } from './redis-audit-store.ts';

export { AuditTrail } from './audit-trail.ts';
export { renderAuditEntry, readAuditToelichting, ACTIE_WEERGAVE } from './audit-entry.ts';
export type { StoredAuditEntry, RenderedAuditEntry } from './audit-entry.ts';
export type { AuditStore, AuditStoreKind } from './audit-store.ts';
export { FileAuditStore } from './file-audit-store.ts';
export { MemoryAuditStore } from './memory-audit-store.ts';
export { RedisAuditStore } from './redis-audit-store.ts';
export type { AuditRedis } from './redis-audit-store.ts';

/** A Redis client as far as the audit trail uses it (ioredis Redis or Cluster). */
export interface AuditRedisClient extends AuditRedis {
  call(command: string, ...args: string[]): Promise<unknown>;
}

export interface AuditTrailSetup {
  config: AuditConfig;
  /** Connected client when Redis is configured. */
  redis?: AuditRedisClient | undefined;
  keyPrefix: string;
  logger: Logger;
  /** Redis Cluster: WAIT has no key to route by, so audit.redisReplicas cannot be honoured there. */
  cluster?: boolean;
}

export async function createAuditTrail(setup: AuditTrailSetup): Promise<AuditTrail> {
  const store = await chooseStore(setup);
  setup.logger.info({ store: store.kind, file: store instanceof FileAuditStore ? store.file : undefined }, 'audit trail store');
  return new AuditTrail(store);
}

async function chooseStore({ config, redis, keyPrefix, logger, cluster = false }: AuditTrailSetup): Promise<AuditStore> {
  const kind = config.store === 'auto' ? (redis ? 'redis' : config.file !== undefined ? 'file' : 'memory') : config.store;
  switch (kind) {
    case 'redis': {
      if (!redis) throw new Error("audit.store is 'redis' but no Redis is configured");
      await warnWithoutAof(redis, logger);
      if (config.redisReplicas > 0 && cluster) throw new Error('audit.redisReplicas needs a single Redis or Sentinel, not a Redis Cluster');
      return new RedisAuditStore(redis, keyPrefix, {
        replicas: config.redisReplicas,
        replicaTimeoutMs: config.redisReplicaTimeoutMs,
        onUnreplicated: (acked) =>
          logger.error({ replicas: config.redisReplicas, acked }, 'audit entry not yet on enough Redis replicas: a failover now would lose it'),
      });
    }
    case 'file': {
      if (config.file === undefined) throw new Error("audit.store is 'file' but audit.file is not set");
      const store = await FileAuditStore.open(config.file, {
        fsync: config.fsync,
        onBadLine: (offset) => logger.warn({ file: config.file, offset }, 'audit file: skipped a line that is not an entry'),
      });
      if (!config.fsync) logger.warn('audit.fsync is off: entries of the last moments before a crash can be lost');
      return store;
    }
    case 'memory':
      logger.warn('audit trail kept in memory only: entries are lost on restart (set audit.file or configure Redis)');
      return new MemoryAuditStore();
  }
}

/** Best effort: managed Redis services may refuse CONFIG; then nothing is said. */
async function warnWithoutAof(redis: AuditRedisClient, logger: Logger): Promise<void> {
  try {
    const answer = await redis.call('CONFIG', 'GET', 'appendonly');
    if (Array.isArray(answer) && answer[1] === 'no') {
      logger.warn('Redis runs without appendonly: audit entries since the last RDB snapshot are lost if Redis restarts');
    }
  } catch {
    // CONFIG not allowed or Redis not reachable yet.
  }
}
