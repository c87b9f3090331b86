// The rights the Autorisaties API gives each client, kept in memory so the AC is asked about once
// per client per `ttlMs`, never per request:
//
// - fresh answer (younger than ttlMs): used as is;
// - stale answer (up to ttlMs + graceMs old): still used, and one refresh starts in the background
//   (so a busy client never waits for the AC); while the AC fails, it is asked again at most every
//   retryMs and the last answer keeps being used: the grace period is how long an AC outage is
//   survived;
// - no usable answer: the request waits for a lookup (one per client in flight, the others join
//   it); when that fails, the client's rights are RIGHTS_UNAVAILABLE (403 `rights_unavailable`)
//   until the next attempt, retryMs later.
//
// Only client ids whose token signature was verified reach this cache (the authenticator asks after
// verification), so unauthenticated callers cannot make the gateway query the AC; it is bounded
// anyway (maxEntries, least recently used out).
import type { Logger } from 'pino';
import { LRUCache } from 'lru-cache';
import { fetchClientRights, type AutorisatiesApiSettings } from './autorisaties-client.ts';
import { RIGHTS_UNAVAILABLE, sameRights, type ClientRights } from './rights.ts';

/** Looks one client up; rejects when the AC gave no usable answer. */
export type RightsLookup = (clientId: string, signal: AbortSignal) => Promise<ClientRights>;

export interface AutorisatiesRightsOptions {
  lookup: RightsLookup;
  ttlMs: number;
  graceMs: number;
  /** Least time between two failed attempts for one client (default 2 s). */
  retryMs?: number;
  maxEntries?: number;
  logger?: Logger;
  now?: () => number;
}

export interface AutorisatiesStats {
  /** Lookups sent to the AC. */
  lookups: number;
  /** Lookups without a usable answer. */
  failures: number;
  /** Requests served a stale answer while a refresh was due or failing. */
  staleServed: number;
  /** Requests answered RIGHTS_UNAVAILABLE. */
  unavailable: number;
}

interface Entry {
  /** The last usable answer, and when it arrived. */
  answer: ClientRights | undefined;
  answeredAt: number;
  /** No new attempt before this (after a failure). */
  retryAt: number;
  flight: Promise<ClientRights> | undefined;
}

const LOG_EVERY_MS = 30_000;

export class AutorisatiesRights {
  private readonly lookup: RightsLookup;
  private readonly ttlMs: number;
  private readonly graceMs: number;
  private readonly retryMs: number;
  private readonly logger: Logger | undefined;
  private readonly now: () => number;
  private readonly entries: LRUCache<string, Entry>;
  private readonly closing = new AbortController();
  private readonly counters: AutorisatiesStats = { lookups: 0, failures: 0, staleServed: 0, unavailable: 0 };
  private lastLoggedAt = -Infinity;

  constructor(opts: AutorisatiesRightsOptions) {
    this.lookup = opts.lookup;
    this.ttlMs = opts.ttlMs;
    this.graceMs = opts.graceMs;
    this.retryMs = opts.retryMs ?? 2_000;
    this.logger = opts.logger;
    this.now = opts.now ?? Date.now;
    this.entries = new LRUCache({ max: opts.maxEntries ?? 10_000 });
  }

  /** The client's rights if they can be given without waiting; undefined when resolve() must ask the AC. */
  peek(clientId: string): ClientRights | undefined {
    const e = this.entries.get(clientId);
    if (e === undefined) return undefined;
    const t = this.now();
    if (e.answer !== undefined) {
      const age = t - e.answeredAt;
      if (age < this.ttlMs) return e.answer;
      if (age < this.ttlMs + this.graceMs) {
        if (e.flight === undefined && t >= e.retryAt) void this.ask(clientId, e).catch(() => {});
        this.counters.staleServed++;
        return e.answer;
      }
    }
    if (t < e.retryAt) {
      this.counters.unavailable++;
      return RIGHTS_UNAVAILABLE;
    }
    return undefined;
  }

  /** The client's rights, asking the AC when needed. Never rejects: RIGHTS_UNAVAILABLE when it cannot tell. */
  async resolve(clientId: string): Promise<ClientRights> {
    const known = this.peek(clientId);
    if (known !== undefined) return known;
    let e = this.entries.get(clientId);
    if (e === undefined) {
      e = { answer: undefined, answeredAt: 0, retryAt: 0, flight: undefined };
      this.entries.set(clientId, e);
    }
    try {
      return await this.ask(clientId, e);
    } catch {
      this.counters.unavailable++;
      return RIGHTS_UNAVAILABLE;
    }
  }

  stats(): AutorisatiesStats {
    return { ...this.counters };
  }

  /** Aborts lookups in flight (their requests get RIGHTS_UNAVAILABLE). */
  close(): void {
    this.closing.abort();
  }

  /** One lookup per client in flight; stores a usable answer, or notes the failure. */
  private ask(clientId: string, e: Entry): Promise<ClientRights> {
    if (e.flight !== undefined) return e.flight;
    this.counters.lookups++;
    const flight = this.lookup(clientId, this.closing.signal).then(
      (rights) => {
        // Keep the old object when nothing changed: principals built from it stay valid.
        e.answer = e.answer !== undefined && sameRights(e.answer, rights) ? e.answer : rights;
        e.answeredAt = this.now();
        e.retryAt = 0;
        e.flight = undefined;
        return e.answer;
      },
      (err: unknown) => {
        this.counters.failures++;
        e.retryAt = this.now() + this.retryMs;
        e.flight = undefined;
        this.noteFailure(err, e);
        throw err;
      },
    );
    e.flight = flight;
    return flight;
  }

  private noteFailure(err: unknown, e: Entry): void {
    const t = this.now();
    if (this.logger === undefined || t - this.lastLoggedAt < LOG_EVERY_MS) return;
    this.lastLoggedAt = t;
    const usable = e.answer !== undefined && t - e.answeredAt < this.ttlMs + this.graceMs;
    this.logger.warn(
      { err },
      usable
        ? 'autorisaties API lookup failed; serving the last known rights until the grace period ends'
        : 'autorisaties API lookup failed; clients without a recent answer get 403 rights_unavailable',
    );
  }
}

/** The cache over the real Autorisaties API (autorisaties-client.ts). */
export function autorisatiesRights(
  api: AutorisatiesApiSettings & { cacheSeconds: number; graceSeconds: number },
  logger?: Logger,
): AutorisatiesRights {
  return new AutorisatiesRights({
    lookup: (clientId, signal) => fetchClientRights(api, clientId, signal),
    ttlMs: api.cacheSeconds * 1000,
    graceMs: api.graceSeconds * 1000,
    ...(logger !== undefined ? { logger } : {}),
  });
}
