// The in-process tier: a byte-bounded LRU of representations with a per-resource index, so a write
// can drop every variant of one klant (or every list page) without scanning the cache.
import { LRUCache } from 'lru-cache';
import type { CacheKey } from './keys.ts';

export interface Representation {
  readonly body: Buffer;
  /** Strong ETag of exactly `body`, quoted. */
  readonly etag: string;
  /**
   * Response headers replayed with the body (lower-case name → value), for representations not
   * rendered by the gateway itself (a REST upstream's Content-Type and API-version). Absent for
   * native ones, whose headers are fixed (send.ts).
   */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Shorter lifetime than the cache's TTL, in ms (a REST upstream's max-age): the entry lives
   * min(TTL, maxAgeMs) in every tier. Absent: the TTL.
   */
  readonly maxAgeMs?: number;
}

export interface MemoryEntry {
  readonly rep: Representation;
  /**
   * The body as a latin1 string (one char per byte, so exactly the bytes): node:http writes a
   * string body together with the header block in one write, a Buffer in a second one (writev).
   */
  readonly wire: string;
  readonly resource: string;
}

/** Bookkeeping per entry (key, index, LRU slots), counted with the bytes it holds. */
const ENTRY_OVERHEAD_BYTES = 160;

function headersSize(rep: Representation): number {
  if (rep.headers === undefined) return 0;
  let n = 0;
  for (const [name, value] of Object.entries(rep.headers)) n += 2 * (name.length + value.length) + 32;
  return n;
}

export interface MemoryTierOptions {
  maxEntries: number;
  maxBytes: number;
}

export class MemoryTier {
  private readonly lru: LRUCache<string, MemoryEntry> | undefined;
  private readonly byResource = new Map<string, Set<string>>();

  constructor(opts: MemoryTierOptions) {
    if (opts.maxEntries <= 0 || opts.maxBytes <= 0) return;
    this.lru = new LRUCache<string, MemoryEntry>({
      max: opts.maxEntries,
      maxSize: opts.maxBytes,
      sizeCalculation: (entry, key) =>
        2 * entry.rep.body.length + entry.rep.etag.length + key.length * 2 + headersSize(entry.rep) + ENTRY_OVERHEAD_BYTES,
      // Keeps the index in step with evictions, expiries, deletes and overwrites.
      dispose: (entry, key) => this.unindex(entry.resource, key),
    });
  }

  get enabled(): boolean {
    return this.lru !== undefined;
  }

  /** The live entry for `localKey` (expired entries are dropped on the way). */
  get(localKey: string): MemoryEntry | undefined {
    return this.lru?.get(localKey);
  }

  set(key: CacheKey, rep: Representation, ttlMs: number): void {
    if (this.lru === undefined || ttlMs <= 0) return;
    // A small Buffer is usually a slice of Node's shared 8 KiB pool and keeps the whole slab alive;
    // the cache would then hold far more memory than its size accounting says. Keep an exact copy.
    const body = Buffer.allocUnsafeSlow(rep.body.length);
    rep.body.copy(body);
    const own: Representation = { ...rep, body };
    this.lru.set(key.local, { rep: own, wire: body.toString('latin1'), resource: key.resource }, { ttl: ttlMs });
    // lru-cache refuses entries larger than maxSize; only index what it holds.
    if (!this.lru.has(key.local)) return;
    let keys = this.byResource.get(key.resource);
    if (keys === undefined) {
      keys = new Set();
      this.byResource.set(key.resource, keys);
    }
    keys.add(key.local);
  }

  /** Drops every variant of `resource`. */
  dropResource(resource: string): void {
    const keys = this.byResource.get(resource);
    if (keys === undefined || this.lru === undefined) return;
    for (const k of [...keys]) this.lru.delete(k);
    this.byResource.delete(resource);
  }

  clear(): void {
    this.lru?.clear();
    this.byResource.clear();
  }

  stats(): { entries: number; bytes: number } {
    return { entries: this.lru?.size ?? 0, bytes: this.lru?.calculatedSize ?? 0 };
  }

  private unindex(resource: string, key: string): void {
    const keys = this.byResource.get(resource);
    if (keys === undefined) return;
    keys.delete(key);
    if (keys.size === 0) this.byResource.delete(resource);
  }
}
