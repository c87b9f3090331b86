// Chooses the gateway's rate limiter from the config: none at perClientPerMinute 0, shared through
// Redis when one is configured (rate-limit-redis.ts), else in-process per instance.
import type { Logger } from 'pino';
import { createRedisClient, redisConfigured } from '../cache/redis-connection.ts';
import type { RateLimitConfig, RedisConfig } from '../config/schema.ts';
import { readyOrTimeout } from '../redis/ready.ts';
import { createRateLimiter, type RateLimiter } from './rate-limit.ts';
import { SharedRateLimiter, type SharedRateLimiterStats } from './rate-limit-redis.ts';

export interface GatewayRateLimiter extends RateLimiter {
  /** 'redis' while the budget is shared through Redis, 'local' when each instance counts alone. */
  stats(): SharedRateLimiterStats;
  /** Closes the limiter's Redis connection (if any). */
  close(): void;
}

export async function createGatewayRateLimiter(
  config: { rateLimit: RateLimitConfig; redis: RedisConfig },
  logger: Logger,
): Promise<GatewayRateLimiter | undefined> {
  if (config.rateLimit.perClientPerMinute === 0) return undefined;
  if (!redisConfigured(config.redis)) {
    const local = createRateLimiter(config.rateLimit);
    let decisions = 0;
    return {
      take: (key) => {
        decisions++;
        return local.take(key);
      },
      takeNow: (key) => {
        decisions++;
        return local.takeNow(key);
      },
      stats: () => ({ mode: 'local', reservations: 0, waits: 0, localDecisions: decisions, failures: 0 }),
      close: () => {},
    };
  }
  const client = await readyOrTimeout(createRedisClient(config.redis, 'klantbrug-ratelimit'), {
    timeoutMs: config.redis.connectTimeoutMs,
    logger,
    label: 'rate limit',
  });
  const shared = new SharedRateLimiter({
    limit: config.rateLimit,
    redis: client,
    keyPrefix: config.redis.keyPrefix,
    logger,
    // A slow Redis must not slow requests down more than a Redis command may take.
    ...(config.redis.commandTimeoutMs > 0 ? { timeoutMs: Math.min(250, config.redis.commandTimeoutMs) } : {}),
  });
  return {
    take: (key) => shared.take(key),
    takeNow: (key) => shared.takeNow(key),
    stats: () => shared.stats(),
    close: () => client.disconnect(),
  };
}
