// ioredis clients for the cache, from the `redis` config (url, Sentinel or Cluster). They fail fast
// instead of queueing: with the offline queue off a command while disconnected rejects at once, and
// commandTimeout bounds a slow server, so a Redis problem costs a request nothing but a backend
// call. Reconnection is ioredis' own (capped backoff, forever).
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { RedisConfig } from '../config/schema.ts';

export type RedisClient = Redis | Cluster;

/** Whether the config names a Redis at all (url, Sentinel or Cluster nodes). */
export function redisConfigured(cfg: RedisConfig): boolean {
  return cfg.url !== undefined || cfg.sentinel !== undefined || cfg.cluster.nodes.length > 0;
}

function baseOptions(cfg: RedisConfig): RedisOptions {
  return {
    connectTimeout: cfg.connectTimeoutMs,
    commandTimeout: cfg.commandTimeoutMs > 0 ? cfg.commandTimeoutMs : undefined,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResubscribe: false, // the invalidation bus resubscribes itself, then trusts its L1 again
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2_000),
    ...(cfg.password !== undefined ? { password: cfg.password } : {}),
  };
}

/** A new client; `name` shows in CLIENT LIST. Callers must listen for 'error'. */
export function createRedisClient(cfg: RedisConfig, name: string): RedisClient {
  const options: RedisOptions = { ...baseOptions(cfg), connectionName: name };
  if (cfg.cluster.nodes.length > 0) {
    const clusterOptions: ClusterOptions = {
      redisOptions: options,
      enableOfflineQueue: false,
      clusterRetryStrategy: (times) => Math.min(100 * times, 2_000),
    };
    return new Cluster(cfg.cluster.nodes, clusterOptions);
  }
  if (cfg.sentinel !== undefined) {
    const s = cfg.sentinel;
    return new Redis({
      ...options,
      sentinels: s.nodes,
      name: s.name,
      ...(s.password !== undefined ? { password: s.password } : {}),
      ...(s.sentinelPassword !== undefined ? { sentinelPassword: s.sentinelPassword } : {}),
      enableTLSForSentinelMode: s.tls,
    });
  }
  if (cfg.url === undefined) throw new Error('redis: no url, sentinel or cluster configured');
  return new Redis(cfg.url, options);
}
