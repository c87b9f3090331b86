// Outbox in Redis, shared by every gateway instance. Keys (one hash tag, so one Cluster slot):
//   <prefix>:{notificaties}:due    sorted set  id → epoch ms when due (or when its lease ends)
//   <prefix>:{notificaties}:items  hash        id → entry JSON
//   <prefix>:{notificaties}:dead   list        given-up entries (newest first, last 1000 kept)
// A claim is one Lua script: due ids get the lease end as their score, so another instance picks
// an entry up again only when the instance that claimed it did not finish it in time.
// Durable as Redis' AOF is (appendonly yes; appendfsync always or everysec), like the audit store.
import type { RedisClient } from '../cache/redis-connection.ts';
import type { Outbox, OutboxEntry } from './outbox.ts';

const CLAIM = `local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local out = {}
for _, id in ipairs(ids) do
  local v = redis.call('HGET', KEYS[2], id)
  if v then
    redis.call('ZADD', KEYS[1], ARGV[3], id)
    out[#out + 1] = v
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
return out`;

const DEAD_KEPT = 1_000;

export class RedisOutbox implements Outbox {
  readonly kind = 'redis' as const;
  private readonly redis: RedisClient;
  private readonly due: string;
  private readonly items: string;
  private readonly dead: string;

  constructor(redis: RedisClient, keyPrefix: string) {
    this.redis = redis;
    const tag = `${keyPrefix}:{notificaties}`;
    this.due = `${tag}:due`;
    this.items = `${tag}:items`;
    this.dead = `${tag}:dead`;
  }

  async add(entry: OutboxEntry): Promise<void> {
    await exec(this.redis.multi().hset(this.items, entry.id, JSON.stringify(entry)).zadd(this.due, entry.dueAt, entry.id));
  }

  async claim(now: number, limit: number, leaseMs: number): Promise<OutboxEntry[]> {
    const rows = (await this.redis.eval(CLAIM, 2, this.due, this.items, now, limit, now + leaseMs)) as string[];
    const entries: OutboxEntry[] = [];
    for (const row of rows) {
      try {
        entries.push(JSON.parse(row) as OutboxEntry);
      } catch {
        // not ours: left to its lease, never delivered
      }
    }
    return entries;
  }

  async delivered(id: string): Promise<void> {
    await exec(this.redis.multi().zrem(this.due, id).hdel(this.items, id));
  }

  async reschedule(entry: OutboxEntry, dueAt: number): Promise<void> {
    const updated: OutboxEntry = { ...entry, dueAt };
    await exec(this.redis.multi().hset(this.items, entry.id, JSON.stringify(updated)).zadd(this.due, dueAt, entry.id));
  }

  async giveUp(entry: OutboxEntry, reason: string): Promise<void> {
    await exec(
      this.redis
        .multi()
        .zrem(this.due, entry.id)
        .hdel(this.items, entry.id)
        .lpush(this.dead, JSON.stringify({ ...entry, reason, givenUpAt: Date.now() }))
        .ltrim(this.dead, 0, DEAD_KEPT - 1),
    );
  }

  async nextDue(): Promise<number | undefined> {
    const [, score] = await this.redis.zrange(this.due, 0, 0, 'WITHSCORES');
    return score === undefined ? undefined : Number(score);
  }

  async size(): Promise<number> {
    return this.redis.zcard(this.due);
  }

  async close(): Promise<void> {
    // The client belongs to the caller.
  }
}

/** Runs a MULTI; any failed command rejects. */
async function exec(multi: { exec(): Promise<[Error | null, unknown][] | null> }): Promise<void> {
  const results = await multi.exec();
  if (results === null) throw new Error('redis transaction aborted');
  for (const [err] of results) if (err) throw err;
}
