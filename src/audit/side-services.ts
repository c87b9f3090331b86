// The write path's side services built from config for gateway.ts: the audit trail (AuditPort,
// and the reader of the audit routes) and notifications (NotifyPort, with its background worker).
// With Redis configured they share one client of their own ('klantbrug-audit'), so their traffic
// and failures do not mix with the cache's or the write stores' connections.
import { createRedisClient, redisConfigured, type RedisClient } from '../cache/redis-connection.ts';
import type { Config } from '../config/index.ts';
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
  const redis = redisConfigured(config.redis) && needsRedis ? await connected(createRedisClient(config.redis, 'klantbrug-audit'), config, logger) : undefined;
  const keyPrefix = config.redis.keyPrefix;
  const audit = await createAuditTrail({ config: config.audit, redis, keyPrefix, logger });
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

/**
 * Waits (at most the connect timeout) until the client is ready: with the offline queue off, a
 * command sent before that would fail. A Redis that is down does not stop the gateway: audit
 * entries then fail (logged by the write path) and the notifier keeps entries in memory.
 */
async function connected(client: RedisClient, config: Config, logger: Logger): Promise<RedisClient> {
  let lastLog = 0;
  client.on('error', (err: Error) => {
    if (Date.now() - lastLog < 30_000) return;
    lastLog = Date.now();
    logger.warn({ err }, 'redis (audit trail, notifications) unavailable');
  });
  if (client.status === 'ready') return client;
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      client.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(config.redis.connectTimeoutMs, 100));
    client.on('ready', done);
  });
  return client;
}
