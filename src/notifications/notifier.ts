// Notifications after successful writes (NotifyPort of write-ports.ts). `enqueue` only writes the
// outbox and returns: the Notificaties API being slow or down never fails or slows a write. A
// background worker delivers due entries (a few at a time), retries failures with exponential
// backoff and jitter up to `retry.maxAttempts`, then gives up (logged with the payload).
// Guarantee: at least once. An entry delivered just before a crash, or whose lease ran out while
// its POST was still under way, can be delivered twice; receivers of ZGW notifications fetch the
// resource anyway, so a duplicate costs a read.
// If the outbox itself cannot be written (Redis down, disk full) the entry is kept in memory and
// delivered from there (logged: it would not survive a restart); `enqueue` still does not reject.
import { randomUUID } from 'node:crypto';
import type { Logger } from '../http/index.ts';
import type { KlantNotification, NotifyPort } from '../klanten/write-ports.ts';
import { retryDelay, type RetryConfig } from './backoff.ts';
import { deliver, type DeliveryTarget } from './delivery.ts';
import { FileOutbox } from './file-outbox.ts';
import type { Outbox, OutboxEntry } from './outbox.ts';

export interface NotifierOptions {
  outbox: Outbox;
  target: DeliveryTarget;
  kanaal: string;
  retry: RetryConfig;
  logger: Logger;
  /** Look for due entries at least this often (other instances' entries, retries). */
  pollIntervalMs?: number;
  /** Deliveries in flight at once. */
  concurrency?: number;
}

export interface NotifierStats {
  delivered: number;
  failedAttempts: number;
  givenUp: number;
}

/** The notification side as the gateway drives it. */
export interface NotificationService extends NotifyPort {
  start(): void;
  /** Stops the worker after delivering what it can within `deadlineMs`; the rest stays queued. */
  stop(deadlineMs?: number): Promise<void>;
}

/** Notifications switched off (no notificaties.url): enqueue does nothing. */
export const DISABLED_NOTIFIER: NotificationService = {
  async enqueue() {},
  start() {},
  async stop() {},
};

export class Notifier implements NotificationService {
  readonly stats: NotifierStats = { delivered: 0, failedAttempts: 0, givenUp: 0 };
  private readonly opts: NotifierOptions;
  private readonly outbox: Outbox;
  /** Entries the outbox refused to store: delivered from memory. */
  private readonly fallback = FileOutbox.memory();
  private readonly pollIntervalMs: number;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private draining = false;
  private wakeUp: (() => void) | undefined;
  private lastOutboxError = 0;

  constructor(opts: NotifierOptions) {
    this.opts = opts;
    this.outbox = opts.outbox;
    this.pollIntervalMs = opts.pollIntervalMs ?? 1_000;
    this.concurrency = opts.concurrency ?? 8;
    // Longer than one delivery can take, so a live worker keeps its claims.
    this.leaseMs = opts.target.timeoutMs * 2 + 5_000;
  }

  async enqueue(n: KlantNotification): Promise<void> {
    const now = Date.now();
    const entry: OutboxEntry = { id: randomUUID(), payload: { ...n, kanaal: this.opts.kanaal }, attempts: 0, createdAt: now, dueAt: now };
    try {
      await this.outbox.add(entry);
    } catch (err) {
      this.opts.logger.error({ err, notification: entry.payload }, 'notification outbox not writable: kept in memory only');
      await this.fallback.add(entry);
    }
    this.wake();
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(deadlineMs = 5_000): Promise<void> {
    this.draining = true;
    const timer = setTimeout(() => this.abort.abort(), deadlineMs);
    this.wake();
    try {
      await this.loop;
    } finally {
      clearTimeout(timer);
      this.abort.abort();
    }
    await this.outbox.close();
    const left = await this.fallback.size();
    if (left > 0) this.opts.logger.error({ left }, 'notifications kept in memory were not delivered before stopping');
  }

  private async run(): Promise<void> {
    while (!this.abort.signal.aborted) {
      const worked = await this.tick();
      if (this.abort.signal.aborted) break;
      if (!worked) {
        if (this.draining) break; // nothing due any more: the rest waits for its retry time
        await this.sleep(await this.idleMs());
      }
    }
  }

  /** Claims and delivers one batch from each outbox; true when something was attempted. */
  private async tick(): Promise<boolean> {
    let worked = false;
    for (const outbox of [this.outbox, this.fallback]) {
      let batch: OutboxEntry[];
      try {
        batch = await outbox.claim(Date.now(), this.concurrency, this.leaseMs);
      } catch (err) {
        this.outboxError(err);
        continue;
      }
      if (batch.length === 0) continue;
      worked = true;
      await Promise.all(batch.map((e) => this.attempt(outbox, e)));
    }
    return worked;
  }

  private async attempt(outbox: Outbox, entry: OutboxEntry): Promise<void> {
    const result = await deliver(this.opts.target, entry, this.abort.signal);
    try {
      if (result.ok) {
        this.stats.delivered++;
        await outbox.delivered(entry.id);
        return;
      }
      if (result.aborted) {
        await outbox.reschedule(entry, Date.now()); // stopped mid-flight: not an attempt
        return;
      }
      this.stats.failedAttempts++;
      const attempts = entry.attempts + 1;
      const log = this.opts.logger;
      if (attempts >= this.opts.retry.maxAttempts) {
        this.stats.givenUp++;
        log.error({ notification: entry.payload, attempts, reason: result.reason }, 'notification given up');
        await outbox.giveUp({ ...entry, attempts }, result.reason);
        return;
      }
      const delay = retryDelay(attempts, this.opts.retry);
      log.warn({ resourceUrl: entry.payload.resourceUrl, attempts, retryInMs: delay, reason: result.reason }, 'notification not delivered');
      await outbox.reschedule({ ...entry, attempts }, Date.now() + delay);
    } catch (err) {
      this.outboxError(err); // the lease runs out and the entry is tried again
    }
  }

  /** How long to wait when nothing was due: until the next entry is due, at most the poll interval. */
  private async idleMs(): Promise<number> {
    let next: number | undefined;
    try {
      const dues = await Promise.all([this.outbox.nextDue(), this.fallback.nextDue()]);
      for (const d of dues) if (d !== undefined && (next === undefined || d < next)) next = d;
    } catch (err) {
      this.outboxError(err);
    }
    const until = next === undefined ? this.pollIntervalMs : next - Date.now();
    return Math.max(5, Math.min(this.pollIntervalMs, until));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  private wake(): void {
    this.wakeUp?.();
  }

  private outboxError(err: unknown): void {
    // Redis down: one line per 30 s, not one per poll.
    if (Date.now() - this.lastOutboxError < 30_000) return;
    this.lastOutboxError = Date.now();
    this.opts.logger.warn({ err }, 'notification outbox unavailable');
  }
}
