// Audit entries in Redis: one list per klant (`<prefix>:audit:{<klant id>}`, RPUSH of the JSON
// entry; the hash tag keeps a klant's trail in one Redis Cluster slot). A klant's trail is short
// (one entry per write), so reading one entry scans that list.
//
// Durability is Redis': `append` resolves when Redis has applied the RPUSH. Run Redis with
// `appendonly yes` and `appendfsync always` (nothing acknowledged is lost) or `everysec` (at most
// about one second of entries lost if the Redis host itself crashes), and with replicas/Sentinel
// for availability. The gateway checks `appendonly` at start-up and warns when it is off.
import { isStoredAuditEntry, type StoredAuditEntry } from './audit-entry.ts';
import type { AuditStore } from './audit-store.ts';

/** The commands used (an ioredis Redis or Cluster client fits). */
export interface AuditRedis {
  /** ioredis connection status ('ready' when commands can run). */
  readonly status?: string;
  rpush(key: string, ...values: string[]): Promise<number>;
  lrange(key: string, start: number, stop: number): Promise<string[]>;
}

export class RedisAuditStore implements AuditStore {
  readonly kind = 'redis' as const;
  private readonly redis: AuditRedis;
  private readonly prefix: string;

  constructor(redis: AuditRedis, keyPrefix: string) {
    this.redis = redis;
    this.prefix = keyPrefix;
  }

  key(klantId: string): string {
    return `${this.prefix}:audit:{${klantId}}`;
  }

  writable(): boolean {
    return this.redis.status === undefined || this.redis.status === 'ready';
  }

  async append(entry: StoredAuditEntry): Promise<void> {
    await this.redis.rpush(this.key(entry.klantId), JSON.stringify(entry));
  }

  async list(klantId: string): Promise<StoredAuditEntry[]> {
    const rows = await this.redis.lrange(this.key(klantId), 0, -1);
    const entries: StoredAuditEntry[] = [];
    for (const row of rows) {
      const e = parse(row);
      if (e) entries.push(e);
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
