// ioredis clients for the cache, from the `redis` config (url, Sentinel or Cluster). They fail fast
// instead of queueing: with the offline queue off a command while disconnected rejects at once, and
// commandTimeout bounds a slow server, so a Redis problem costs a request nothing but a backend
// call. Reconnection is ioredis' own (capped backoff, forever).
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { RedisConfig } from '../config/schema.ts';

export type RedisClient = Redis | Cluster;

export interface RedisClientOptions {
  /**
   * A short reconnect does not fail commands: those sent meanwhile wait for the connection, and
   * those in flight when it dropped are sent again on the new one (ioredis' resend of unfulfilled
   * commands), always within commandTimeoutMs; a second failed attempt in a row fails them. For the
   * write path, which a Sentinel failover — every client moves to the new master in ~105 ms,
   * measured — must not turn into 503s (seen with the real sentinel: a create whose INCR was in
   * flight at the switch). A command resent may have run on the old master already; the old master's
   * data is discarded when it rejoins as a replica, so the new master sees it once. Standalone and
   * Sentinel only: a Cluster client queues per node already, and its cluster-wide queue has no
   * time bound.
   */
  waitForReconnect?: boolean;
}

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
export function createRedisClient(cfg: RedisConfig, name: string, opts: RedisClientOptions = {}): RedisClient {
  const options: RedisOptions = { ...baseOptions(cfg), connectionName: name };
  if (cfg.cluster.nodes.length > 0) {
    const clusterOptions: ClusterOptions = {
      redisOptions: options,
      enableOfflineQueue: false,
      clusterRetryStrategy: (times) => Math.min(100 * times, 2_000),
    };
    return new Cluster(cfg.cluster.nodes, clusterOptions);
  }
  if (opts.waitForReconnect) {
    options.enableOfflineQueue = true;
    options.maxRetriesPerRequest = 1;
  }
  if (cfg.sentinel !== undefined) {
    const s = cfg.sentinel;
    return new Redis({
      ...options,
      sentinels: s.nodes,
      name: s.name,
      // Follow the sentinels' +switch-master at once. Without it a client stays on the old master
      // after a failover until the sentinel demotes it (~10 s later, measured): what the gateway
      // writes there meanwhile (cache generations, counters, audit entries) is lost when the old
      // master resyncs as a replica, and instances that reconnected earlier no longer hear its
      // invalidations.
      failoverDetector: true,
      ...(s.password !== undefined ? { password: s.password } : {}),
      ...(s.sentinelPassword !== undefined ? { sentinelPassword: s.sentinelPassword } : {}),
      enableTLSForSentinelMode: s.tls,
    });
  }
  if (cfg.url === undefined) throw new Error('redis: no url, sentinel or cluster configured');
  return new Redis(cfg.url, options);
}

/** A plain client to one node of a Redis Cluster, with the same settings as the cluster's own connections. */
export function createNodeClient(cfg: RedisConfig, node: { host: string; port: number }, name: string): Redis {
  return new Redis({ ...baseOptions(cfg), host: node.host, port: node.port, connectionName: name });
}

/**
 * The node of a Redis Cluster that carries the cache's pub/sub: the master serving slot 0 now,
 * a choice every instance makes alike from the slot map (undefined before the map is known).
 * PUBLISH reaches the subscribers on every node, but its reply counts only the receiving node's;
 * subscribing on and publishing through one node makes that count cover every instance.
 */
export function clusterPubSubNode(cluster: Cluster): Redis | undefined {
  const key = cluster.slots[0]?.[0];
  if (key === undefined) return undefined;
  return cluster.nodes('master').find((n) => `${n.options.host}:${n.options.port}` === key);
}
