// The shared tier in Redis: representations guarded by per-resource generations, and short locks.
//
// Keys (Redis Cluster safe: everything one script or MGET touches shares the `{resource}` tag):
//   <p>:{klant:<id>}:g          generation of the klant (random token; absent = never written)
//   <p>:{klant:<id>}:r:<hash>   a representation: `<generation>\n` + stored-entry.ts payload
//   <p>:{klant:<id>}:l:<hash>:<generation>   fill lock (SET NX PX); per generation, so a fill
//                               after a write never waits for one that began before it
//   <p>:{lists}:g / :r:<hash> / :l:<hash>   the same for list pages (one resource for all)
// <hash> = SHA-256(namespace + history + variant), so no request data (filters, hosts) appears in key names.
//
// History: after a Sentinel failover, what the old master took between the promotion and the
// announcement (~1 s) is lost — generation bumps among it. Seen with the real sentinel: a PATCH in
// that window, and afterwards both instances served the pre-PATCH bytes from the new master until
// the TTL, their stored generation still matching. So the master's replication ID (INFO
// replication master_replid, replaced by every promotion) is part of <hash>: entries of a lost
// history are never read again and expire by their TTL, and a fill that read in one history does
// not store into the next. (Cluster: one ID per node; not covered there.)
//
// A representation is valid only while its embedded generation equals the resource's current one.
// A write replaces the generation by a fresh random token; the store script refuses to write when
// the generation differs from the one read before the backend was asked, so a read that began
// before a write can never store its result after the write's invalidation. Random tokens (not
// counters) keep this true when a generation key expires or is evicted: absent ≠ any stored token.
//
// Failures: every call rejects fast (offline queue off, command timeout). After a failure the
// tier is bypassed for `cooldownMs` so a slow Redis does not slow every request down.
import { createHash, randomBytes } from 'node:crypto';
import { Cluster, ReplyError } from 'ioredis';
import type { Logger } from 'pino';
import type { RedisConfig } from '../config/schema.ts';
import type { CacheKey } from './keys.ts';
import type { Representation } from './memory-tier.ts';
import { clusterPubSubNode, createRedisClient, type RedisClient } from './redis-connection.ts';
import { decodeEntry, encodeEntry, type DecodedEntry } from './stored-entry.ts';

// KEYS: generation, representation, lock. ARGV: expected generation ('' = was absent), fresh
// generation (used when still absent), payload, generation TTL ms, entry TTL ms, lock token ('' = none).
const STORE_SCRIPT = `
local g = redis.call('GET', KEYS[1])
if g == false then
  if ARGV[1] ~= '' then return 0 end
  g = ARGV[2]
  redis.call('SET', KEYS[1], g, 'PX', ARGV[4])
elseif g ~= ARGV[1] then
  return 0
end
redis.call('SET', KEYS[2], g .. '\\n' .. ARGV[3], 'PX', ARGV[5])
if ARGV[6] ~= '' and redis.call('GET', KEYS[3]) == ARGV[6] then redis.call('DEL', KEYS[3]) end
return 1
`;

const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

interface ScriptedClient {
  kbStore(gen: string, rep: string, lock: string, ...argv: (string | Buffer | number)[]): Promise<number>;
  kbRelease(lock: string, token: string): Promise<number>;
}

export type SharedTierState = 'connecting' | 'ready' | 'degraded' | 'down';

export interface SharedTierHealth {
  state: SharedTierState;
  /** Failed or timed-out commands since start. */
  errors: number;
  lastError: string | undefined;
}

export interface SharedRead {
  /**
   * Opaque: the history and the resource's generation at the read, what a later store must
   * still find (for tryLock, unlock and store).
   */
  generation: string;
  /** The stored entry, when it exists and belongs to that generation. */
  entry: DecodedEntry | undefined;
}

export interface SharedTierOptions {
  config: RedisConfig;
  /** Deployment-wide inputs of the bytes (see keys.ts); part of every representation hash. */
  namespace: string;
  ttlMs: number;
  logger: Logger;
  /** How long to bypass Redis after a failure (default 1000 ms). */
  cooldownMs?: number;
  onConnectionChange?: (connected: boolean) => void;
}

export class SharedTier {
  readonly client: RedisClient;
  private readonly prefix: string;
  private readonly namespace: string;
  private readonly ttlMs: number;
  private readonly generationTtlMs: number;
  private readonly cooldownMs: number;
  private readonly logger: Logger;
  private isConnected = false;
  private everReady = false;
  private skipUntil = 0;
  private errors = 0;
  private lastError: string | undefined;
  private lastLoggedAt = -Infinity;
  /** The master's replication ID, learned after each connect ('' when unknown). */
  private history = '';

  constructor(opts: SharedTierOptions) {
    this.prefix = opts.config.keyPrefix;
    this.namespace = opts.namespace;
    this.ttlMs = opts.ttlMs;
    // Outlives every entry and every fill (a fill that takes longer only loses its store).
    this.generationTtlMs = Math.max(2 * opts.ttlMs, 3_600_000);
    this.cooldownMs = opts.cooldownMs ?? 1_000;
    this.logger = opts.logger;
    this.client = createRedisClient(opts.config, 'klantbrug-cache');
    this.client.defineCommand('kbStore', { numberOfKeys: 3, lua: STORE_SCRIPT });
    this.client.defineCommand('kbRelease', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
    this.client.on('ready', () => {
      void this.learnHistory().then((known) => {
        // Not usable before the history is known, nor when the connection went away meanwhile.
        if (!known || this.client.status !== 'ready' || this.isConnected) return;
        this.isConnected = true;
        this.everReady = true;
        this.skipUntil = 0;
        this.logger.info('cache: redis ready');
        opts.onConnectionChange?.(true);
      });
    });
    this.client.on('close', () => {
      if (!this.isConnected) return;
      this.logger.warn('cache: redis connection lost; serving from the backend');
      this.isConnected = false;
      opts.onConnectionChange?.(false);
    });
    this.client.on('error', (err: Error) => this.noteError(err, false));
  }

  get connected(): boolean {
    return this.isConnected;
  }

  /** Whether calls are worth trying now (connected and not cooling down after a failure). */
  get usable(): boolean {
    return this.isConnected && performance.now() >= this.skipUntil;
  }

  health(): SharedTierHealth {
    let state: SharedTierState;
    if (this.isConnected) state = performance.now() < this.skipUntil ? 'degraded' : 'ready';
    else state = this.everReady || this.errors > 0 ? 'down' : 'connecting';
    return { state, errors: this.errors, lastError: this.lastError };
  }

  generationKey(resource: string): string {
    return `${this.prefix}:{${resource}}:g`;
  }

  /** Current generation and the entry of `key` if it is still valid. */
  async read(key: CacheKey): Promise<SharedRead> {
    const history = this.history;
    const hash = this.variantHash(key, history);
    const [gen, value] = await this.guard(this.client.mgetBuffer(this.generationKey(key.resource), this.entryKey(key, hash)));
    const current = gen?.toString('latin1') ?? '';
    const generation = `${history}/${current}`;
    if (value === null || value === undefined || current === '') return { generation, entry: undefined };
    const entry = decodeEntry(value);
    return { generation, entry: entry?.generation === current ? entry : undefined };
  }

  /**
   * Stores `rep` unless the resource's generation moved away from `expectedGeneration` (a write
   * happened since the read). Releases `lockToken`'s lock. True when stored.
   */
  async store(key: CacheKey, expectedGeneration: string, rep: Representation, createdAtMs: number, lockToken = ''): Promise<boolean> {
    const { history, generation } = parseGeneration(expectedGeneration);
    if (history !== this.history) return false; // read before a failover: its generation may be lost
    const hash = this.variantHash(key, history);
    const scripted = this.client as unknown as ScriptedClient;
    const stored = await this.guard(
      scripted.kbStore(
        this.generationKey(key.resource),
        this.entryKey(key, hash),
        this.lockKey(key, hash, expectedGeneration),
        generation,
        newGeneration(),
        encodeEntry(rep, createdAtMs),
        this.generationTtlMs,
        // What is left of the TTL counted from createdAt (backdated for a shorter maxAgeMs).
        Math.max(1, this.ttlMs - Math.max(0, Date.now() - createdAtMs)),
        lockToken,
      ),
    );
    return stored === 1;
  }

  /** The fill lock of `key` in `generation`: a token when acquired, undefined when someone else holds it. */
  async tryLock(key: CacheKey, generation: string, ttlMs: number): Promise<string | undefined> {
    const token = randomBytes(9).toString('base64url');
    const lock = this.lockKey(key, this.variantHash(key, parseGeneration(generation).history), generation);
    const ok = await this.guard(this.client.set(lock, token, 'PX', ttlMs, 'NX'));
    return ok === 'OK' ? token : undefined;
  }

  async unlock(key: CacheKey, generation: string, token: string): Promise<void> {
    const scripted = this.client as unknown as ScriptedClient;
    await this.guard(scripted.kbRelease(this.lockKey(key, this.variantHash(key, parseGeneration(generation).history), generation), token));
  }

  /** Gives each resource a fresh generation: every stored representation of it is invalid from now on. */
  async bumpGenerations(resources: readonly string[]): Promise<void> {
    // One command per resource: their keys live in different slots.
    await this.guard(
      Promise.all(resources.map((r) => this.client.set(this.generationKey(r), newGeneration(), 'PX', this.generationTtlMs))),
    );
  }

  /** PUBLISH; on a Cluster through its pub/sub node, so the reply counts every instance (invalidation-bus.ts). */
  async publish(channel: string, message: string): Promise<number> {
    const via = this.client instanceof Cluster ? (clusterPubSubNode(this.client) ?? this.client) : this.client;
    return this.guard(via.publish(channel, message));
  }

  close(): void {
    this.client.disconnect();
  }

  private entryKey(key: CacheKey, hash: string): string {
    return `${this.prefix}:{${key.resource}}:r:${hash}`;
  }

  private lockKey(key: CacheKey, hash: string, generation: string): string {
    return `${this.prefix}:{${key.resource}}:l:${hash}:${generation}`;
  }

  private variantHash(key: CacheKey, history: string): string {
    return createHash('sha256').update(this.namespace).update('\n').update(history).update('\n').update(key.variant).digest('base64url').slice(0, 22);
  }

  /**
   * Reads the master's replication ID into `history`. False when the connection failed meanwhile
   * (the next 'ready' tries again); a server that refuses INFO leaves the history unknown ('').
   */
  private async learnHistory(): Promise<boolean> {
    if (this.client instanceof Cluster) return true;
    try {
      const info = await this.client.info('replication');
      this.history = /^master_replid:([0-9a-f]+)/m.exec(info)?.[1]?.slice(0, 16) ?? '';
      return true;
    } catch (err) {
      if (!(err instanceof ReplyError)) return false;
      this.history = '';
      this.logger.warn({ err: String(err) }, 'cache: INFO refused; entries are not tied to the master\'s history');
      return true;
    }
  }

  private async guard<T>(call: Promise<T>): Promise<T> {
    try {
      return await call;
    } catch (err) {
      this.noteError(err, true);
      throw err;
    }
  }

  private noteError(err: unknown, fromCommand: boolean): void {
    const message = err instanceof Error ? err.message : String(err);
    const now = performance.now();
    this.errors++;
    this.lastError = message;
    if (fromCommand) this.skipUntil = now + this.cooldownMs;
    // Connection errors repeat on every reconnect attempt: at most one log line per 10 s.
    if (now - this.lastLoggedAt >= 10_000) {
      this.lastLoggedAt = now;
      this.logger.warn({ err: message }, 'cache: redis failure; serving from the backend meanwhile');
    }
  }
}

/** The parts of a SharedRead generation: `<history>/<generation>` ('' = absent). */
function parseGeneration(token: string): { history: string; generation: string } {
  const slash = token.indexOf('/');
  return slash === -1 ? { history: '', generation: token } : { history: token.slice(0, slash), generation: token.slice(slash + 1) };
}

function newGeneration(): string {
  return randomBytes(9).toString('base64url');
}
