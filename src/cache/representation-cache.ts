// The representation cache: in-process tier → Redis tier → one backend fill, with invalidation.
//
// get(key, compute): the in-process copy when there is one; else one fill per key per instance
// (single-flight) that reads Redis, and on a miss takes a short Redis lock so one instance asks the
// backend while the others poll for its result (and compute themselves after lockWaitMs: nobody
// hangs on a crashed holder). Every Redis failure degrades to computing from the backend.
//
// Consistency rules:
// - An epoch counts invalidations seen here (local writes, other instances' messages, losing or
//   regaining the invalidation subscription). A fill stores its result in-process only when the
//   epoch did not move while it ran, and a request never joins a flight of an older epoch.
// - In Redis the generation check (shared-tier.ts) does the same across instances.
// - With Redis configured, the in-process tier is used only while subscribed to invalidations.
// - Entries live at most ttlSeconds in total (an in-process copy of a Redis entry gets what is left
//   of it), which bounds how long changes made in the backend by other systems stay invisible.
//   A representation with a shorter maxAgeMs (an upstream's max-age) lives that long: its
//   createdAt is backdated by the difference, so every tier counts the shorter lifetime.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { RedisConfig } from '../config/schema.ts';
import { InvalidationBus } from './invalidation-bus.ts';
import { klantResource, LISTS_RESOURCE, type CacheKey } from './keys.ts';
import { MemoryTier, type MemoryEntry, type Representation } from './memory-tier.ts';
import { redisConfigured } from './redis-connection.ts';
import { notModified, sendRepresentation } from './send.ts';
import { SharedTier, type SharedRead, type SharedTierHealth } from './shared-tier.ts';
import { SingleFlight } from './single-flight.ts';

export interface RepresentationCacheOptions {
  ttlSeconds: number;
  l1MaxEntries: number;
  l1MaxBytes: number;
  /** Shared tier; without url/sentinel/cluster the cache is in-process only. */
  redis?: RedisConfig;
  /** Deployment-wide inputs of the bytes (page size, mapping, API version): see keys.ts. */
  namespace: string;
  logger: Logger;
  /** Fill lock lifetime (a crashed holder's lock expires; default 10 s). */
  lockTtlMs?: number;
  /** How long a miss waits for another instance's fill before asking the backend itself (default 1 s). */
  lockWaitMs?: number;
  /** How long a write waits for other instances to confirm an invalidation (default 250 ms). */
  ackTimeoutMs?: number;
  /** Redis is bypassed this long after a failed command (default 1 s). */
  redisCooldownMs?: number;
  /** Prometheus hooks (ops/metrics.ts GatewayMetrics.cache / .redis fit these shapes). */
  metrics?: { cache?: CacheObserver; redis?: RedisStateObserver };
}

export interface CacheObserver {
  hit(tier: 'l1' | 'redis'): void;
  /** A representation was built from the backend. */
  miss(): void;
  /** A conditional request was answered 304 from the cache. */
  notModified(): void;
}

export interface RedisStateObserver {
  setState(state: 'disabled' | 'up' | 'down'): void;
}

export interface CacheCounters {
  /** Answered from the in-process tier by the Express route (fast-path hits are counted there). */
  memoryHits: number;
  /** Served by the raw HTTP fast path (200, HEAD or 304). */
  fastPathHits: number;
  /** 304 answers, fast path and Express routes. */
  notModified: number;
  sharedHits: number;
  /** Backend fills (the representation was computed). */
  fills: number;
  /** Requests that joined a running fill instead of starting one. */
  coalesced: number;
  /** Misses that waited for another instance's fill, and how many of those got its result. */
  lockWaits: number;
  lockWaitHits: number;
  /** Fills whose result was not stored because a write invalidated the resource meanwhile. */
  staleStoresRefused: number;
  /** Fills that skipped Redis because it was down or cooling down after a failure. */
  redisBypassed: number;
  invalidations: number;
}

export interface CacheHealth {
  mode: 'memory' | 'redis';
  ttlSeconds: number;
  /** Redis configured and not ready: answers come from the backend (never an error). */
  degraded: boolean;
  redis: (SharedTierHealth & { subscribed: boolean; ackTimeouts: number }) | undefined;
  memory: { enabled: boolean; usable: boolean; entries: number; bytes: number };
  counters: Readonly<CacheCounters>;
}

export interface InvalidationOutcome {
  /** Redis generations were replaced: no instance can serve the old bytes from Redis any more. */
  shared: boolean;
  /** Other instances that got the message, and how many confirmed dropping their copies in time. */
  receivers: number;
  acked: number;
}

export class RepresentationCache {
  readonly counters: CacheCounters = {
    memoryHits: 0,
    fastPathHits: 0,
    notModified: 0,
    sharedHits: 0,
    fills: 0,
    coalesced: 0,
    lockWaits: 0,
    lockWaitHits: 0,
    staleStoresRefused: 0,
    redisBypassed: 0,
    invalidations: 0,
  };
  private readonly memory: MemoryTier;
  private readonly shared: SharedTier | undefined;
  private readonly bus: InvalidationBus | undefined;
  private readonly flights = new SingleFlight<Representation>();
  private readonly ttlMs: number;
  private readonly lockTtlMs: number;
  private readonly lockWaitMs: number;
  private readonly observer: CacheObserver | undefined;
  private readonly redisObserver: RedisStateObserver | undefined;
  private reportedRedisState: 'disabled' | 'up' | 'down' | undefined;
  private epoch = 0;
  private liveWaiters: (() => void)[] = [];

  constructor(opts: RepresentationCacheOptions) {
    this.ttlMs = opts.ttlSeconds * 1000;
    this.lockTtlMs = opts.lockTtlMs ?? 10_000;
    this.lockWaitMs = opts.lockWaitMs ?? 1_000;
    this.memory = new MemoryTier({ maxEntries: opts.l1MaxEntries, maxBytes: opts.l1MaxBytes });
    this.observer = opts.metrics?.cache;
    this.redisObserver = opts.metrics?.redis;
    if (opts.redis === undefined || !redisConfigured(opts.redis) || this.ttlMs === 0) {
      this.reportRedisState();
      return;
    }
    this.shared = new SharedTier({
      config: opts.redis,
      namespace: opts.namespace,
      ttlMs: this.ttlMs,
      logger: opts.logger,
      cooldownMs: opts.redisCooldownMs,
      onConnectionChange: (connected) => {
        if (connected) this.wakeIfConnected();
        this.reportRedisState();
      },
    });
    this.bus = new InvalidationBus({
      config: opts.redis,
      shared: this.shared,
      instanceId: randomBytes(9).toString('base64url'),
      logger: opts.logger,
      ackTimeoutMs: opts.ackTimeoutMs ?? 250,
      onInvalidate: (resources) => this.dropLocal(resources),
      onLiveChange: (live) => {
        // Either way, what is in memory (or being filled) may have missed an invalidation.
        this.epoch++;
        this.memory.clear();
        if (live) this.wakeIfConnected();
        this.reportRedisState();
      },
    });
    this.reportRedisState();
  }

  /** Whether in-process copies may be served now. */
  get memoryUsable(): boolean {
    return this.memory.enabled && this.ttlMs > 0 && (this.bus === undefined || this.bus.live);
  }

  /** The in-process copy of `key.local`, when it may be served (synchronous: the fast path). */
  peek(localKey: string): MemoryEntry | undefined {
    return this.memoryUsable ? this.memory.get(localKey) : undefined;
  }

  /**
   * The representation of `key`: cached, or made by `compute` (which may throw; nothing is stored
   * then). The caller has authorized the request already.
   */
  async get(key: CacheKey, compute: () => Promise<Representation>): Promise<Representation> {
    const epoch = this.epoch;
    const hit = this.peek(key.local);
    if (hit !== undefined) {
      this.counters.memoryHits++;
      this.observer?.hit('l1');
      return hit.rep;
    }
    const before = this.flights.joined;
    const result = this.flights.run(key.local, epoch, () => this.fill(key, compute, epoch));
    if (this.flights.joined !== before) this.counters.coalesced++;
    return result;
  }

  /**
   * After a klant was changed or deleted through the gateway: drops its representations and every
   * list page, here and on every instance. Await it before sending the write's response.
   */
  invalidateKlant(id: string): Promise<InvalidationOutcome> {
    return this.invalidate([klantResource(id.toLowerCase()), LISTS_RESOURCE]);
  }

  /** After a klant was created: drops every list page, here and on every instance. */
  invalidateLists(): Promise<InvalidationOutcome> {
    return this.invalidate([LISTS_RESOURCE]);
  }

  /**
   * Sends `rep` (200, HEAD or 304 per If-None-Match) and counts a 304 as answered from the cache.
   * The request must be authorized already.
   */
  respond(req: IncomingMessage, res: ServerResponse, rep: Representation): void {
    if (notModified(req, rep)) {
      this.counters.notModified++;
      this.observer?.notModified();
    }
    sendRepresentation(req, res, rep);
  }

  /** Counts a hit of the fast path (which reads the in-process tier through peek and sends itself). */
  noteFastPathHit(isNotModified: boolean): void {
    this.counters.fastPathHits++;
    this.observer?.hit('l1');
    if (isNotModified) {
      this.counters.notModified++;
      this.observer?.notModified();
    }
  }

  /**
   * Drops `resources` (klantResource(id), LISTS_RESOURCE) here and on every instance. Never
   * rejects: a Redis failure leaves the other instances to the TTL (and is logged and counted).
   */
  async invalidate(given: readonly string[]): Promise<InvalidationOutcome> {
    const resources = given.map((r) => r.toLowerCase()); // keys hold lower-case ids
    this.counters.invalidations++;
    this.dropLocal(resources);
    const outcome: InvalidationOutcome = { shared: false, receivers: 0, acked: 0 };
    if (this.shared === undefined || this.bus === undefined) return outcome;
    try {
      await this.shared.bumpGenerations(resources);
      outcome.shared = true;
      const published = await this.bus.publish(resources);
      outcome.receivers = published.receivers;
      outcome.acked = published.acked;
    } catch {
      // Counted and logged by the shared tier.
    }
    return outcome;
  }

  health(): CacheHealth {
    const redis = this.shared?.health();
    return {
      mode: this.shared === undefined ? 'memory' : 'redis',
      ttlSeconds: this.ttlMs / 1000,
      degraded: redis !== undefined && (redis.state !== 'ready' || !this.bus!.live),
      redis: redis === undefined ? undefined : { ...redis, subscribed: this.bus!.live, ackTimeouts: this.bus!.ackTimeouts },
      memory: { enabled: this.memory.enabled, usable: this.memoryUsable, ...this.memory.stats() },
      counters: { ...this.counters },
    };
  }

  /**
   * Resolves once Redis is usable and invalidations are subscribed (at once without Redis), or
   * after timeoutMs.
   */
  async whenConnected(timeoutMs = 5_000): Promise<boolean> {
    if (this.bus === undefined || this.redisUp) return true;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      this.liveWaiters.push(resolve);
      timer = setTimeout(resolve, timeoutMs);
    });
    clearTimeout(timer);
    return this.redisUp;
  }

  private get redisUp(): boolean {
    return this.bus?.live === true && this.shared?.connected === true;
  }

  private wakeIfConnected(): void {
    if (this.redisUp) for (const wake of this.liveWaiters.splice(0)) wake();
  }

  close(): void {
    this.bus?.close();
    this.shared?.close();
    this.memory.clear();
  }

  private reportRedisState(): void {
    if (this.redisObserver === undefined) return;
    const state = this.shared === undefined ? 'disabled' : this.shared.connected && this.bus?.live === true ? 'up' : 'down';
    if (state === this.reportedRedisState) return;
    this.reportedRedisState = state;
    this.redisObserver.setState(state);
  }

  private dropLocal(resources: readonly string[]): void {
    this.epoch++;
    for (const r of resources) this.memory.dropResource(r);
  }

  private async fill(key: CacheKey, compute: () => Promise<Representation>, epoch: number): Promise<Representation> {
    if (this.ttlMs === 0) return this.compute(compute);
    const shared = this.shared;
    if (shared === undefined) {
      const rep = await this.compute(compute);
      this.remember(key, rep, epoch, this.lifetimeStart(rep));
      return rep;
    }
    let read: SharedRead | undefined;
    try {
      if (shared.usable) read = await shared.read(key);
    } catch {
      // Counted and logged by the shared tier; cooling down now.
    }
    if (read === undefined) {
      // Without Redis for now. The in-process copy stays safe while the invalidation channel is up
      // (remember() checks it, and the epoch catches a write that lands meanwhile).
      this.counters.redisBypassed++;
      const rep = await this.compute(compute);
      this.remember(key, rep, epoch, this.lifetimeStart(rep));
      return rep;
    }
    if (read.entry !== undefined) {
      this.counters.sharedHits++;
      this.observer?.hit('redis');
      this.remember(key, read.entry.rep, epoch, read.entry.createdAtMs);
      return read.entry.rep;
    }

    let generation = read.generation;
    let token: string | undefined;
    let lockHeldElsewhere = false;
    try {
      token = await shared.tryLock(key, generation, this.lockTtlMs);
      lockHeldElsewhere = token === undefined;
    } catch {
      // Fill without the lock.
    }
    if (lockHeldElsewhere) {
      this.counters.lockWaits++;
      const waited = await this.waitForFill(shared, key, epoch);
      if (waited.rep !== undefined) return waited.rep;
      token = waited.token;
      if (waited.generation !== undefined) generation = waited.generation;
    }

    let rep: Representation;
    try {
      rep = await this.compute(compute);
    } catch (err) {
      if (token !== undefined) shared.unlock(key, generation, token).catch(() => undefined);
      throw err;
    }
    const createdAt = this.lifetimeStart(rep);
    let stored = false;
    try {
      stored = await shared.store(key, generation, rep, createdAt, token);
      if (!stored) this.counters.staleStoresRefused++;
    } catch {
      // Served anyway; the next request tries again.
    }
    if (stored) this.remember(key, rep, epoch, createdAt);
    else if (token !== undefined) shared.unlock(key, generation, token).catch(() => undefined);
    return rep;
  }

  /**
   * Polls Redis while another instance fills `key`: its result, or the lock once it is free (the
   * holder failed or gave up), or nothing after lockWaitMs. The latest generation read comes back
   * so a fill after the wait still refuses to store across a write.
   */
  private async waitForFill(
    shared: SharedTier,
    key: CacheKey,
    epoch: number,
  ): Promise<{ rep?: Representation; token?: string; generation?: string }> {
    const deadline = performance.now() + this.lockWaitMs;
    let delay = 5;
    let generation: string | undefined;
    while (performance.now() < deadline) {
      await sleep(Math.min(delay, Math.max(1, deadline - performance.now())));
      delay = Math.min(delay * 2, 50);
      try {
        const read = await shared.read(key);
        if (read.entry !== undefined) {
          this.counters.lockWaitHits++;
          this.observer?.hit('redis');
          this.remember(key, read.entry.rep, epoch, read.entry.createdAtMs);
          return { rep: read.entry.rep };
        }
        generation = read.generation; // a write meanwhile: a new generation, a free lock
        const token = await shared.tryLock(key, generation, this.lockTtlMs);
        if (token !== undefined) return { token, generation };
      } catch {
        break;
      }
    }
    return { generation };
  }

  private async compute(compute: () => Promise<Representation>): Promise<Representation> {
    this.counters.fills++;
    this.observer?.miss();
    return compute();
  }

  /**
   * When `rep`'s TTL counts from: now, or earlier by what its maxAgeMs falls short of the TTL (so the
   * stored createdAt alone tells every tier, and other instances, how long it may live).
   */
  private lifetimeStart(rep: Representation): number {
    const now = Date.now();
    return rep.maxAgeMs === undefined || rep.maxAgeMs >= this.ttlMs ? now : now - (this.ttlMs - Math.max(0, rep.maxAgeMs));
  }

  /** Keeps `rep` in memory for what is left of its TTL, unless an invalidation happened since `epoch`. */
  private remember(key: CacheKey, rep: Representation, epoch: number, createdAtMs: number): void {
    if (!this.memoryUsable || this.epoch !== epoch) return;
    const ttlMs = Math.min(this.ttlMs, this.ttlMs - (Date.now() - createdAtMs));
    this.memory.set(key, rep, ttlMs);
  }
}
