// Idempotency-Key records: `pending` while the first request runs (short ttl, so a crashed
// instance does not block the key for long), then `done` with the response to replay (24 h).
import { DELETE_IF_EQUAL, type RedisCommands } from './write-redis.ts';

export interface StoredResponse {
  status: number;
  /** Headers to replay (Location, ETag). */
  headers: Record<string, string>;
  /** The JSON body as sent. */
  body: string;
}

export type IdempotencyRecord =
  | { state: 'pending'; fingerprint: string; token: string }
  | { state: 'done'; fingerprint: string; response: StoredResponse };

export interface IdempotencyStore {
  /** Stores `pending` unless a record exists; returns that record, or undefined when this call stored it. */
  begin(key: string, pending: IdempotencyRecord & { state: 'pending' }, ttlMs: number): Promise<IdempotencyRecord | undefined>;
  /** Replaces the record by the finished one. */
  complete(key: string, done: IdempotencyRecord & { state: 'done' }, ttlMs: number): Promise<void>;
  /** Removes the record if it is still this `pending` one (the request failed: a retry may run again). */
  abandon(key: string, pending: IdempotencyRecord & { state: 'pending' }): Promise<void>;
}

export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly records = new Map<string, { record: IdempotencyRecord; expires: number }>();

  async begin(key: string, pending: IdempotencyRecord & { state: 'pending' }, ttlMs: number): Promise<IdempotencyRecord | undefined> {
    this.sweep();
    const existing = this.records.get(key);
    if (existing && existing.expires > Date.now()) return existing.record;
    this.records.set(key, { record: pending, expires: Date.now() + ttlMs });
    return undefined;
  }

  async complete(key: string, done: IdempotencyRecord & { state: 'done' }, ttlMs: number): Promise<void> {
    this.records.set(key, { record: done, expires: Date.now() + ttlMs });
  }

  async abandon(key: string, pending: IdempotencyRecord & { state: 'pending' }): Promise<void> {
    const existing = this.records.get(key)?.record;
    if (existing?.state === 'pending' && existing.token === pending.token) this.records.delete(key);
  }

  /** Drops expired records now and then, so the map stays bounded by what 24 h of traffic holds. */
  private sweep(): void {
    if (this.records.size < 1024 || Math.random() > 0.01) return;
    const now = Date.now();
    for (const [k, v] of this.records) if (v.expires <= now) this.records.delete(k);
  }
}

export class RedisIdempotencyStore implements IdempotencyStore {
  private readonly redis: RedisCommands;
  private readonly prefix: string;

  constructor(redis: RedisCommands, prefix: string) {
    this.redis = redis;
    this.prefix = prefix;
  }

  async begin(key: string, pending: IdempotencyRecord & { state: 'pending' }, ttlMs: number): Promise<IdempotencyRecord | undefined> {
    const k = this.key(key);
    // A record may expire between SET NX and GET: try again then.
    for (let attempt = 0; attempt < 3; attempt++) {
      if ((await this.redis.set(k, JSON.stringify(pending), 'PX', ttlMs, 'NX')) === 'OK') return undefined;
      const raw = await this.redis.get(k);
      if (raw !== null) {
        const found = JSON.parse(raw) as IdempotencyRecord;
        // Our own record: a SET resent after a dropped connection ran twice (the first reply was lost).
        if (found.state === 'pending' && found.token === pending.token) return undefined;
        return found;
      }
    }
    throw new Error('idempotency record keeps disappearing');
  }

  async complete(key: string, done: IdempotencyRecord & { state: 'done' }, ttlMs: number): Promise<void> {
    await this.redis.set(this.key(key), JSON.stringify(done), 'PX', ttlMs);
  }

  async abandon(key: string, pending: IdempotencyRecord & { state: 'pending' }): Promise<void> {
    await this.redis.eval(DELETE_IF_EQUAL, 1, this.key(key), JSON.stringify(pending));
  }

  private key(key: string): string {
    return `${this.prefix}:idem:${key}`;
  }
}
