// Pending creates (accepted by the backend, not read back yet) in Redis, so that another instance
// completes them when the one that answered the 504 stops (create-reconciler.ts). Each record has
// an owner and a lease; the owner renews it while it works on the record, any instance may claim a
// record whose lease ran out, and only the owner may delete it (completion or giving up) — one Lua
// script each, so a claim and a delete never interleave. Lease times come from the Redis server's
// clock (TIME), not from the instances' clocks.
//
// Key layout: every key carries the hash tag `{pending-creates}`, so in Redis Cluster the three
// live in one slot and each script may touch them together:
//   <prefix>:{pending-creates}:records  hash  record id -> record JSON
//   <prefix>:{pending-creates}:owners   hash  record id -> owner id
//   <prefix>:{pending-creates}:leases   zset  record id, score: lease expiry (ms, server time)

export interface PendingCreatesRedis {
  eval(script: string, numkeys: number, ...args: (string | number)[]): Promise<unknown>;
}

const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

const ADD = `${NOW}redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
redis.call('ZADD', KEYS[3], now + tonumber(ARGV[4]), ARGV[1])
return 1`;

/** ARGV: owner, leaseMs, ids...; returns the ids this owner no longer holds. */
const RENEW = `${NOW}local lost = {}
for i = 3, #ARGV do
  if redis.call('HGET', KEYS[2], ARGV[i]) == ARGV[1] then
    redis.call('ZADD', KEYS[3], now + tonumber(ARGV[2]), ARGV[i])
  else
    lost[#lost + 1] = ARGV[i]
  end
end
return lost`;

/** ARGV: owner, leaseMs, max; takes over records whose lease ran out, returns their JSON. */
const CLAIM_EXPIRED = `${NOW}local ids = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now, 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, id in ipairs(ids) do
  local rec = redis.call('HGET', KEYS[1], id)
  if rec then
    redis.call('HSET', KEYS[2], id, ARGV[1])
    redis.call('ZADD', KEYS[3], now + tonumber(ARGV[2]), id)
    out[#out + 1] = rec
  else
    redis.call('HDEL', KEYS[2], id)
    redis.call('ZREM', KEYS[3], id)
  end
end
return out`;

/** ARGV: id, owner; deletes the record only for its owner (1), else 0. */
const FINISH = `if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
return 1`;

/** ARGV: owner, ids...; lets the lease of the owner's records run out now (a graceful stop). */
const RELEASE = `for i = 2, #ARGV do
  if redis.call('HGET', KEYS[2], ARGV[i]) == ARGV[1] then redis.call('ZADD', KEYS[3], 0, ARGV[i]) end
end
return 1`;

export class PendingCreatesStore {
  private readonly redis: PendingCreatesRedis;
  private readonly keys: [string, string, string];

  constructor(redis: PendingCreatesRedis, keyPrefix: string) {
    this.redis = redis;
    const base = `${keyPrefix}:{pending-creates}`;
    this.keys = [`${base}:records`, `${base}:owners`, `${base}:leases`];
  }

  /** Records a pending create owned by `owner` for `leaseMs`. */
  async add(id: string, record: unknown, owner: string, leaseMs: number): Promise<void> {
    await this.redis.eval(ADD, 3, ...this.keys, id, JSON.stringify(record), owner, leaseMs);
  }

  /** Extends the owner's leases; returns the ids another instance has taken over (or that are gone). */
  async renew(owner: string, ids: string[], leaseMs: number): Promise<string[]> {
    if (ids.length === 0) return [];
    return (await this.redis.eval(RENEW, 3, ...this.keys, owner, leaseMs, ...ids)) as string[];
  }

  /** Takes over at most `max` records whose owner stopped renewing; returns them parsed. */
  async claimExpired(owner: string, leaseMs: number, max: number): Promise<unknown[]> {
    if (max <= 0) return [];
    const raw = (await this.redis.eval(CLAIM_EXPIRED, 3, ...this.keys, owner, leaseMs, max)) as string[];
    return raw.map((r) => JSON.parse(r) as unknown);
  }

  /** Deletes the record if `owner` still holds it: true means this owner alone may complete it. */
  async finish(id: string, owner: string): Promise<boolean> {
    return (await this.redis.eval(FINISH, 3, ...this.keys, id, owner)) === 1;
  }

  /** Hands the owner's records to whichever instance scans next. */
  async release(owner: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.redis.eval(RELEASE, 3, ...this.keys, owner, ...ids);
  }
}
