// The per-client rate limit shared by every gateway instance through Redis, without a Redis round
// trip per request. The budget (a token bucket: `burst`, refilled at perClientPerMinute) lives in
// Redis under `<prefix>:{rl:<clientId>}` (one hash-tagged key per client, so Cluster can shard it)
// and is changed only by one Lua script that refills it by Redis' own clock and hands out up to
// N tokens at once. Each instance reserves tokens in batches and spends them locally:
//
// - a request that finds a reserved token is decided synchronously (the cache fast path can);
// - when fewer than half a batch is left, the next batch is reserved in the background; a batch
//   is `batch` tokens, more for a client that spends more than that during one round trip (three
//   round trips' worth), never more than a tenth of the burst;
// - only a request that finds none waits for a reservation (one per client in flight; the others
//   wait for the same one);
// - when Redis hands out fewer tokens than asked, the bucket is empty: the instance refuses that
//   client without asking again until Redis said a token would be back (Retry-After).
//
// Precision with N instances: every token spent was first taken from the shared bucket, so the
// budget is never exceeded while Redis answers. An instance holds at most max(batch, burst/10)
// unspent tokens of a client, so that client can be refused while up to (N-1) times that sits
// unspent on other instances — early, never late, and only until traffic reaches those instances.
//
// Redis down, slow (timeoutMs) or failing: that request and the following ones are decided by an
// in-process bucket (the limit then holds per instance), never a 5xx; Redis is tried again after
// cooldownMs, and ioredis reconnects by itself.
import type { Logger } from 'pino';
import type { RedisClient } from '../cache/redis-connection.ts';
import type { RateLimitConfig } from '../config/schema.ts';
import { createRateLimiter, type LocalRateLimiter, type RateDecision, type RateLimiter } from './rate-limit.ts';

/**
 * KEYS[1] the client's bucket; ARGV: tokens wanted, refill rate (tokens per ms), burst.
 * Returns {tokens granted, ms until the bucket holds one token again (0 when it does)}.
 */
const TAKE_SCRIPT = `
local want = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
-- Redis before 5 replicates scripts verbatim and refuses writes after TIME unless told otherwise.
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'n', 't')
local tokens = burst
if state[1] and state[2] then
  tokens = math.min(burst, tonumber(state[1]) + math.max(0, now - tonumber(state[2])) * rate)
end
local grant = math.max(0, math.min(want, math.floor(tokens)))
tokens = tokens - grant
redis.call('HSET', KEYS[1], 'n', tostring(tokens), 't', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / rate) + 1000)
local wait = 0
if tokens < 1 then wait = math.ceil((1 - tokens) / rate) end
return {grant, wait}
`;

interface ScriptedClient {
  kbRateTake(key: string, want: number, ratePerMs: string, burst: number): Promise<[number, number]>;
}

export interface SharedRateLimiterOptions {
  limit: RateLimitConfig;
  /** A client from cache/redis-connection.ts createRedisClient; the caller closes it. */
  redis: RedisClient;
  /** redis.keyPrefix. */
  keyPrefix: string;
  logger: Logger;
  /** Tokens an instance reserves at once at least (default burst/10, between 1 and 50). */
  batch?: number;
  /** Longest wait for a reservation before deciding locally (default 250 ms). */
  timeoutMs?: number;
  /** After a failed reservation, decide locally for this long before asking Redis again (default 1 s). */
  cooldownMs?: number;
  now?: () => number;
}

export interface SharedRateLimiterStats {
  /** Whether decisions are shared through Redis right now, or taken per instance. */
  mode: 'redis' | 'local';
  /** Reservation calls to Redis (each one round trip). */
  reservations: number;
  /** Requests that had to wait for a reservation (the rest were decided at once). */
  waits: number;
  /** Requests decided by the in-process bucket because Redis was unusable. */
  localDecisions: number;
  /** Reservation calls that failed or timed out. */
  failures: number;
}

/** One client's tokens on this instance. */
interface Reservation {
  /** Reserved in Redis and not spent yet. */
  tokens: number;
  /** Redis said its bucket was empty: refuse without asking until then (local clock, ms). */
  deniedUntil: number;
  /** The reservation in flight (true = Redis answered). */
  flight: Promise<boolean> | undefined;
  /** Requests (served or waiting) since the reservation in flight was sent: demand per round trip. */
  demand: number;
  /** Tokens to hold after the next reservation: batch, or more for a client that needs more per round trip. */
  target: number;
}

const OK: RateDecision = Object.freeze({ ok: true });
const LOG_EVERY_MS = 30_000;

export class SharedRateLimiter implements RateLimiter {
  private readonly limit: RateLimitConfig;
  private readonly redis: RedisClient;
  private readonly scripted: ScriptedClient;
  private readonly prefix: string;
  private readonly logger: Logger;
  private readonly local: LocalRateLimiter;
  private readonly ratePerMs: string;
  private readonly batch: number;
  private readonly maxHold: number;
  private readonly timeoutMs: number;
  private readonly cooldownMs: number;
  private readonly now: () => number;
  // Keys are verified client ids (configured clients), so the map stays small.
  private readonly reservations = new Map<string, Reservation>();
  private skipUntil = 0;
  private lastLoggedAt = -Infinity;
  private readonly counters = { reservations: 0, waits: 0, localDecisions: 0, failures: 0 };

  constructor(opts: SharedRateLimiterOptions) {
    this.limit = opts.limit;
    this.redis = opts.redis;
    this.prefix = opts.keyPrefix;
    this.logger = opts.logger;
    this.local = createRateLimiter(opts.limit);
    this.ratePerMs = String(opts.limit.perClientPerMinute / 60_000);
    this.batch = Math.max(1, Math.floor(opts.batch ?? Math.min(50, opts.limit.burst / 10)));
    this.maxHold = Math.max(this.batch, Math.floor(opts.limit.burst / 10));
    this.timeoutMs = opts.timeoutMs ?? 250;
    this.cooldownMs = opts.cooldownMs ?? 1_000;
    this.now = opts.now ?? Date.now;
    this.redis.defineCommand('kbRateTake', { numberOfKeys: 1, lua: TAKE_SCRIPT });
    this.scripted = this.redis as unknown as ScriptedClient;
    this.redis.on('ready', () => {
      if (this.skipUntil === 0) return;
      this.skipUntil = 0;
      this.logger.info('rate limit: redis back, the limit is shared again');
    });
  }

  take(key: string): RateDecision | Promise<RateDecision> {
    if (this.limit.perClientPerMinute === 0) return OK;
    const now = this.now();
    if (!this.usable(now)) return this.decideLocally(key);
    const r = this.reservation(key);
    return this.spend(key, r, now) ?? this.waitForTokens(key, r);
  }

  takeNow(key: string): RateDecision | undefined {
    if (this.limit.perClientPerMinute === 0) return OK;
    const now = this.now();
    if (!this.usable(now)) return this.decideLocally(key);
    const r = this.reservation(key);
    const decided = this.spend(key, r, now);
    // Start the reservation now, so the take() that will decide this request finds it under way.
    if (decided === undefined) void this.reserve(key, r);
    return decided;
  }

  stats(): SharedRateLimiterStats {
    return { mode: this.usable(this.now()) ? 'redis' : 'local', ...this.counters };
  }

  /** The Redis key of a client's shared bucket. */
  keyOf(clientId: string): string {
    return `${this.prefix}:{rl:${clientId}}`;
  }

  private usable(now: number): boolean {
    return this.redis.status === 'ready' && now >= this.skipUntil;
  }

  private decideLocally(key: string): RateDecision {
    this.counters.localDecisions++;
    return this.local.take(key);
  }

  private reservation(key: string): Reservation {
    let r = this.reservations.get(key);
    if (r === undefined) {
      r = { tokens: 0, deniedUntil: 0, flight: undefined, demand: 0, target: this.batch };
      this.reservations.set(key, r);
    }
    return r;
  }

  /** A decision from the tokens this instance holds, or undefined when Redis must be asked first. */
  private spend(key: string, r: Reservation, now: number): RateDecision | undefined {
    if (r.tokens >= 1) {
      r.tokens -= 1;
      if (r.flight !== undefined) r.demand++;
      else if (r.tokens < r.target / 2 && now >= r.deniedUntil) void this.reserve(key, r);
      return OK;
    }
    if (now < r.deniedUntil) return { ok: false, retryAfterSeconds: (r.deniedUntil - now) / 1000 };
    return undefined;
  }

  private async waitForTokens(key: string, r: Reservation): Promise<RateDecision> {
    this.counters.waits++;
    r.demand++;
    // More waiters than one reservation brought tokens for go round again; three rounds of
    // contention are unusual enough to decide locally rather than keep the request waiting.
    for (let round = 0; round < 3; round++) {
      const answered = await this.reserve(key, r);
      if (!answered) return this.decideLocally(key);
      const decided = this.spend(key, r, this.now());
      if (decided !== undefined) return decided;
    }
    return this.decideLocally(key);
  }

  /** Tops the client's tokens up to its target; one reservation per client in flight. Never rejects. */
  private reserve(key: string, r: Reservation): Promise<boolean> {
    if (r.flight !== undefined) return r.flight;
    const want = Math.max(1, r.target - Math.floor(r.tokens));
    this.counters.reservations++;
    r.demand = 0;
    const flight = this.callScript(key, want).then(
      ([granted, waitMs]) => {
        r.tokens += granted;
        r.deniedUntil = granted < want ? this.now() + Math.max(1, waitMs) : 0;
        // Enough for four round trips at the demand seen during this one; lowered slowly, as the
        // demand seen during one round trip varies a lot with where in the event loop it lands.
        r.target = Math.min(this.maxHold, Math.max(this.batch, 4 * r.demand, Math.floor(r.target * 0.98)));
        return true;
      },
      (err: unknown) => {
        this.noteFailure(err);
        return false;
      },
    );
    r.flight = flight;
    // Registered before any waiter's: by the time waiters resume, a new reservation can start.
    void flight.then(() => {
      r.flight = undefined;
    });
    return flight;
  }

  private async callScript(key: string, want: number): Promise<[number, number]> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      const call = this.scripted.kbRateTake(this.keyOf(key), want, this.ratePerMs, this.limit.burst);
      call.catch(() => {}); // a late failure after the timeout has nobody to tell
      const reply = await Promise.race([call, timeout]);
      const granted = Number(reply[0]);
      const waitMs = Number(reply[1]);
      if (!Number.isFinite(granted) || !Number.isFinite(waitMs)) throw new Error('unexpected reply from the rate limit script');
      return [granted, waitMs];
    } finally {
      clearTimeout(timer);
    }
  }

  private noteFailure(err: unknown): void {
    this.counters.failures++;
    const now = this.now();
    this.skipUntil = now + this.cooldownMs;
    if (now - this.lastLoggedAt < LOG_EVERY_MS) return;
    this.lastLoggedAt = now;
    this.logger.warn({ err }, 'rate limit: redis unusable, limiting per instance until it answers again');
  }
}
