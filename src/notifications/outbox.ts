// The durable outbox of notifications: `add` when a write succeeded, then the notifier's worker
// claims due entries, delivers them and marks them delivered (removed), rescheduled (with the
// attempt count) or given up. Claims are leases: an entry claimed by a worker that dies becomes
// due again when the lease runs out, so every entry is delivered at least once (a crash between
// delivery and `delivered` sends it twice; the Notificaties API has no idempotency key).
// Implementations: file-outbox.ts (JSONL, or memory without a file), redis-outbox.ts.
import type { KlantNotification } from '../klanten/write-ports.ts';

export interface OutboxEntry {
  id: string;
  /** The notification as sent (kanaal from config). */
  payload: Omit<KlantNotification, 'kanaal'> & { kanaal: string };
  /** Failed deliveries so far. */
  attempts: number;
  /** Epoch ms when first enqueued. */
  createdAt: number;
  /** Epoch ms from when it may be (re)tried. */
  dueAt: number;
}

export type OutboxKind = 'file' | 'redis' | 'memory';

export interface Outbox {
  readonly kind: OutboxKind;
  /** Resolves once the entry is durable (memory: at once). */
  add(entry: OutboxEntry): Promise<void>;
  /** Up to `limit` entries due at `now`, oldest due first, leased until `now + leaseMs`. */
  claim(now: number, limit: number, leaseMs: number): Promise<OutboxEntry[]>;
  delivered(id: string): Promise<void>;
  /** Back in the queue with the entry's (updated) attempts, due at `dueAt`. */
  reschedule(entry: OutboxEntry, dueAt: number): Promise<void>;
  /** Out of the queue without delivery (attempts exhausted); kept for inspection where possible. */
  giveUp(entry: OutboxEntry, reason: string): Promise<void>;
  /** Earliest dueAt of an entry not leased, or undefined when none waits. */
  nextDue(): Promise<number | undefined>;
  /** Entries not yet delivered or given up. */
  size(): Promise<number>;
  close(): Promise<void>;
}
