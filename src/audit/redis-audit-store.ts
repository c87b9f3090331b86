// Audit entries in Redis: one list per klant (`<prefix>:audit:{<klant id>}`, RPUSH of the JSON
// entry; the hash tag keeps a klant's trail in one Redis Cluster slot). A klant's trail is short
// (one entry per write), so reading one entry scans that list.
//
// Durability is Redis': `append` resolves when Redis has applied the RPUSH. Run Redis with
// `appendonly yes` and `appendfsync always` (nothing acknowledged is lost) or `everysec` (at most
// about one second of entries lost if the Redis host itself crashes), and with replicas/Sentinel
// for availability. The gateway checks `appendonly` at start-up and warns when it is off.
//
// Replication is asynchronous: after a Sentinel failover, entries the old master took in the last
// moments (~0.9 s between promotion and announcement, measured in
// test/integration/redis-sentinel.test.ts) are gone. With `replicas` > 0 every append is followed by
// WAIT, so the write is answered only once that many replicas hold the entry (or the timeout
// passed: then the write, already done in the backend, is still answered, and the gap is logged).
import { isStoredAuditEntry, type StoredAuditEntry } from './audit-entry.ts';
import type { AuditStore } from './audit-store.ts';

/** The commands used (an ioredis Redis or Cluster client fits). */
export interface AuditRedis {
  /** ioredis connection status ('ready' when commands can run). */
  readonly status?: string;
  /** ioredis connection events: to wait for the outcome of a reconnect in progress. */
  on?(event: 'ready' | 'close', listener: () => void): unknown;
  off?(event: 'ready' | 'close', listener: () => void): unknown;
  rpush(key: string, ...values: string[]): Promise<number>;
  lrange(key: string, start: number, stop: number): Promise<string[]>;
  /** Only needed with `replicas` > 0. */
  call?(command: string, ...args: string[]): Promise<unknown>;
}

export interface RedisAuditStoreOptions {
  reconnectWaitMs?: number;
  /** Replicas that must acknowledge each entry (WAIT); 0 = do not wait. */
  replicas?: number;
  replicaTimeoutMs?: number;
  /** Called when fewer replicas than asked acknowledged an entry in time. */
  onUnreplicated?: (acked: number) => void;
}

/**
 * How long after losing its connection the store waits for the reconnect before a write is
 * refused. A Sentinel failover moves every client to the new master in ~105 ms (measured with the
 * real sentinel, test/integration/redis-sentinel.test.ts): refusing writes during that blip
 * turned a failover into 503s. A write only proceeds once the connection is back, so a Redis that
 * is gone still refuses every write before the backend sees it (after at most this long).
 */
export const RECONNECT_WAIT_MS = 500;

export class RedisAuditStore implements AuditStore {
  readonly kind = 'redis' as const;
  private readonly redis: AuditRedis;
  private readonly prefix: string;
  private readonly reconnectWaitMs: number;
  /** When the connection was lost (undefined while ready, or before it ever was). */
  private lostAt: number | undefined;
  /** The outcome of the reconnect in progress, shared by the writes waiting for it. */
  private reconnect: Promise<boolean> | undefined;
  private readonly replicas: number;
  private readonly replicaTimeoutMs: number;
  private readonly onUnreplicated: ((acked: number) => void) | undefined;

  constructor(redis: AuditRedis, keyPrefix: string, opts: RedisAuditStoreOptions = {}) {
    this.redis = redis;
    this.prefix = keyPrefix;
    this.reconnectWaitMs = opts.reconnectWaitMs ?? RECONNECT_WAIT_MS;
    this.replicas = opts.replicas ?? 0;
    this.replicaTimeoutMs = opts.replicaTimeoutMs ?? 250;
    this.onUnreplicated = opts.onUnreplicated;
    if (this.replicas > 0 && redis.call === undefined) throw new Error('replicas > 0 needs a client that can send WAIT');
    redis.on?.('close', () => {
      this.lostAt ??= Date.now(); // every failed reconnect attempt closes again: keep the first
    });
    redis.on?.('ready', () => {
      this.lostAt = undefined;
    });
  }

  key(klantId: string): string {
    return `${this.prefix}:audit:{${klantId}}`;
  }

  /** True when connected; within RECONNECT_WAIT_MS of a lost connection, whether the reconnect succeeds. */
  writable(): boolean | Promise<boolean> {
    const status = this.redis.status;
    if (status === undefined || status === 'ready') return true;
    const deadline = this.lostAt === undefined ? 0 : this.lostAt + this.reconnectWaitMs;
    if (status === 'end' || Date.now() >= deadline || this.redis.on === undefined || this.redis.off === undefined) return false;
    const on = this.redis.on.bind(this.redis);
    const off = this.redis.off.bind(this.redis);
    this.reconnect ??= new Promise<boolean>((resolve) => {
      const settle = (ok: boolean) => {
        clearTimeout(timer);
        off('ready', onReady);
        off('close', onClose);
        this.reconnect = undefined;
        resolve(ok);
      };
      const onReady = () => settle(true);
      const onClose = () => settle(false); // this reconnect attempt failed
      const timer = setTimeout(() => settle(false), deadline - Date.now());
      on('ready', onReady);
      on('close', onClose);
    });
    return this.reconnect;
  }

  async append(entry: StoredAuditEntry): Promise<void> {
    await this.redis.rpush(this.key(entry.klantId), JSON.stringify(entry));
    if (this.replicas > 0) {
      // Same connection right after the RPUSH: WAIT covers it (and every earlier write on it).
      const acked = Number(await this.redis.call!('WAIT', String(this.replicas), String(this.replicaTimeoutMs)));
      if (!(acked >= this.replicas)) this.onUnreplicated?.(acked);
    }
  }

  async list(klantId: string): Promise<StoredAuditEntry[]> {
    const rows = await this.redis.lrange(this.key(klantId), 0, -1);
    const entries: StoredAuditEntry[] = [];
    // An RPUSH resent after a dropped connection (the write clients resend in-flight commands on
    // reconnect) can land twice when only its reply was lost: one entry per uuid, the first kept.
    const seen = new Set<string>();
    for (const row of rows) {
      const e = parse(row);
      if (e && !seen.has(e.uuid)) {
        seen.add(e.uuid);
        entries.push(e);
      }
    }
    return entries;
  }

  async get(klantId: string, uuid: string): Promise<StoredAuditEntry | undefined> {
    return (await this.list(klantId)).find((e) => e.uuid === uuid);
  }

  async close(): Promise<void> {
    // The client belongs to the caller.
  }
}

function parse(row: string): StoredAuditEntry | undefined {
  try {
    const value: unknown = JSON.parse(row);
    return isStoredAuditEntry(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
