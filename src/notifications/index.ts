// Notifications (src/notifications): construction from config. Off (enqueue is a no-op) when
// notificaties.url is not set. Outbox: Redis when the gateway has one (shared by all instances),
// else notificaties.outboxFile (JSONL, fsync'ed), else memory (lost on restart; a warning is logged).
// The returned service's worker is running; call stop() on shutdown.
import type { RedisClient } from '../cache/redis-connection.ts';
import type { NotificatiesConfig } from '../config/schema.ts';
import type { Logger } from '../http/index.ts';
import { notificatiesEndpoint } from './delivery.ts';
import { FileOutbox } from './file-outbox.ts';
import { DISABLED_NOTIFIER, Notifier, type NotificationService } from './notifier.ts';
import type { Outbox } from './outbox.ts';
import { RedisOutbox } from './redis-outbox.ts';

export { Notifier, DISABLED_NOTIFIER } from './notifier.ts';
export type { NotificationService, NotifierOptions, NotifierStats } from './notifier.ts';
export { FileOutbox } from './file-outbox.ts';
export { RedisOutbox } from './redis-outbox.ts';
export type { Outbox, OutboxEntry, OutboxKind } from './outbox.ts';
export { notificatiesEndpoint, deliver } from './delivery.ts';
export { retryDelay } from './backoff.ts';

export interface NotifierSetup {
  config: NotificatiesConfig;
  /** Connected client when Redis is configured. */
  redis?: RedisClient | undefined;
  keyPrefix: string;
  logger: Logger;
  pollIntervalMs?: number;
}

export async function createNotifier(setup: NotifierSetup): Promise<NotificationService> {
  const { config, logger } = setup;
  if (config.url === undefined) return DISABLED_NOTIFIER;
  if (config.clientId === undefined || config.secret === undefined) {
    throw new Error('notificaties.clientId and notificaties.secret are required with notificaties.url');
  }
  const outbox = await chooseOutbox(setup);
  const endpoint = notificatiesEndpoint(config.url);
  logger.info({ endpoint, outbox: outbox.kind, pending: await outbox.size().catch(() => undefined) }, 'notifications on');
  const notifier = new Notifier({
    outbox,
    target: { endpoint, clientId: config.clientId, secret: config.secret, timeoutMs: config.timeoutMs },
    kanaal: config.kanaal,
    retry: config.retry,
    logger,
    pollIntervalMs: setup.pollIntervalMs,
  });
  notifier.start();
  return notifier;
}

async function chooseOutbox({ config, redis, keyPrefix, logger }: NotifierSetup): Promise<Outbox> {
  if (redis) return new RedisOutbox(redis, keyPrefix);
  if (config.outboxFile !== undefined) return FileOutbox.open(config.outboxFile);
  logger.warn('notification outbox kept in memory only: undelivered notifications are lost on restart (set notificaties.outboxFile or configure Redis)');
  return FileOutbox.memory();
}
