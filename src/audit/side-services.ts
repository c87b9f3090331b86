// The write path's side services built from config for gateway.ts: the audit trail (AuditPort,
// and the reader of the audit routes) and notifications (NotifyPort, with its background worker).
// With Redis configured they share one client of their own ('klantbrug-audit'), so their traffic
// and failures do not mix with the cache's or the write stores' connections.
import { createRedisClient, redisConfigured } from '../cache/redis-connection.ts';
import type { Config } from '../config/index.ts';
import { readyOrTimeout } from '../redis/ready.ts';
import type { Logger } from '../http/index.ts';
import { createNotifier, type NotificationService } from '../notifications/index.ts';
import type { AuditTrail } from './audit-trail.ts';
import { createAuditTrail } from './index.ts';

export interface SideServices {
  audit: AuditTrail;
  notifier: NotificationService;
  /** Stops the notifier (delivering what it can within `deadlineMs`), closes the stores. */
  close(deadlineMs?: number): Promise<void>;
}

export async function createSideServices(config: Config, logger: Logger): Promise<SideServices> {
  const needsRedis = config.audit.store === 'auto' || config.audit.store === 'redis' || config.notificaties.url !== undefined;
  const redis = redisConfigured(config.redis) && needsRedis ? await readyOrTimeout(createRedisClient(config.redis, 'klantbrug-audit', { waitForReconnect: true }), { timeoutMs: config.redis.connectTimeoutMs, logger, label: 'audit trail, notifications' }) : undefined;
  const keyPrefix = config.redis.keyPrefix;
  const audit = await createAuditTrail({ config: config.audit, redis, keyPrefix, logger, cluster: config.redis.cluster.nodes.length > 0 });
  const notifier = await createNotifier({ config: config.notificaties, redis, keyPrefix, logger });
  return {
    audit,
    notifier,
    async close(deadlineMs = 2_000) {
      await notifier.stop(deadlineMs);
      await audit.close();
      redis?.disconnect();
    },
  };
}

