// Completes creates the backend accepted but the gateway could not read back in time.
//
// After a T kennisgeving is confirmed, the new klant is found back by bronorganisatie + klantnummer
// for its key (hence its id). When that keeps failing the consumer gets a 504 (the OAS has no
// better status; the detail says where to find the klant), but the write did happen, so its audit
// entry and notification are still owed. This reconciler keeps looking the klant up in the
// background with bounded exponential backoff for `windowMs`; once found, `complete` writes what a
// normal create writes after the backend confirmed (cache invalidation, audit entry, notification).
// Never found within the window: an error log line (no personal data: request id, bronorganisatie,
// subject type, and that the klantnummer is known) and the metric outcome `lost`.
//
// Durable with Redis (`store`, pending-creates-store.ts): the pending create (filter, request id,
// the audit and notification data, its deadline) is recorded in Redis before the 504 is answered,
// with this instance as owner on a lease it renews every scan (a few seconds, jittered). Every
// instance scans for records whose lease ran out and takes them over (`revive`), so a create
// accepted on an instance that died is still completed by another one within its window; a
// graceful stop lets its leases run out at once (and counts them `abandoned` here). Exactly once:
// whoever finds the klant first deletes the record, only while it still owns it (one script),
// and only then writes the trail; an owner that lost its lease finds nothing to delete and stops.
// So two instances never both write the audit entry. What can still go wrong: an instance dying
// between that delete and writing the audit entry / notification loses them (at most once, not
// at least once); a Redis that cannot take the record when the 504 is answered leaves the create
// in this process only (logged), as without Redis; outcomes are counted per instance, so a create
// abandoned on one instance and found on another counts in both.
//
// Without Redis, pending reconciliations live in this process only. When the instance dies
// (crash, OOM kill) before one finishes, that create keeps no audit entry and sends no
// notification, ever — the only traces are the warn line logged when the reconciliation started
// and the consumer's 504 (both with the request id). A graceful stop makes one last lookup within
// the close deadline and logs and counts (`abandoned`) what it could not finish.
//
// Also accepted: a consumer who finds the klant after the 504 and changes it before the
// reconciler does may see its update entry before the create entry in the trail.
import type { KlantFilter, KlantenBackend, StoredKlant } from '../backend/klanten-backend.ts';
import type { Logger } from '../http/index.ts';
import { randomUUID } from 'node:crypto';
import type { PendingCreatesStore } from './pending-creates-store.ts';

/** found: trail and notification completed; lost: not found within the window (or no room); abandoned: the gateway stopped first. */
export type ReconcileOutcome = 'found' | 'lost' | 'abandoned';

export const RECONCILE_OUTCOMES: readonly ReconcileOutcome[] = ['found', 'lost', 'abandoned'];

export interface PendingCreate {
  /** subjectType, bronorganisatie and klantnummer of the accepted klant (unique by kla-001). */
  filter: Readonly<Required<Pick<KlantFilter, 'subjectType' | 'bronorganisatie' | 'klantnummer'>>>;
  /** The consumer request's id: carried into the lookups' referentienummers and every log line. */
  requestId: string;
  /** Plain data: everything `complete` needs besides the klant, so another instance can complete it (`revive`). */
  context?: Readonly<Record<string, string>>;
  /** Called once with the klant as the backend holds it; should not reject (failures are logged by it). */
  complete(found: StoredKlant): Promise<void>;
}

/** A pending create as recorded in Redis. */
export interface StoredPendingCreate {
  id: string;
  filter: PendingCreate['filter'];
  requestId: string;
  context: Readonly<Record<string, string>>;
  /** Epoch ms: the end of its window. */
  deadline: number;
}

export interface CreateReconcilerOptions {
  backend: Pick<KlantenBackend, 'list'>;
  /** How long to keep looking, in total (0: do not reconcile; every submission is lost at once). */
  windowMs: number;
  /** First pause before a lookup (default 500 ms); doubles up to maxDelayMs. */
  firstDelayMs?: number;
  /** Longest pause between lookups (default 15 s). */
  maxDelayMs?: number;
  /** Reconciliations running at once; beyond it a submission is lost at once (default 1000). */
  maxPending?: number;
  logger?: Logger;
  /** One call per submission, with how it ended (the metric). */
  onOutcome?: (outcome: ReconcileOutcome) => void;
  /** Redis: pending creates recorded, leased, and taken over from stopped instances (needs `revive`). */
  store?: PendingCreatesStore;
  /** A recorded pending create back into one with its `complete`. */
  revive?: (stored: StoredPendingCreate) => PendingCreate;
  /** Mean pause between scans (lease renewals, take-overs), jittered ±50% (default 3 s). */
  scanEveryMs?: number;
  /** How long a record stays this instance's without a renewal (default 15 s). */
  leaseMs?: number;
}

interface Task {
  readonly pending: PendingCreate;
  /** Ends the current pause early (close: one last lookup now). */
  wake: () => void;
  /** Set at the close deadline: whatever the task learns afterwards is ignored. */
  abandoned: boolean;
  /** Found; its audit entry and notification are being written. */
  completing: boolean;
  settled: boolean;
  /** Epoch ms: the end of its window. */
  readonly deadline: number;
  /** Its record in Redis, while this instance holds it. */
  recordId: string | undefined;
}

export class CreateReconciler {
  private readonly opts: CreateReconcilerOptions;
  private readonly tasks = new Map<Task, Promise<void>>();
  private closing = false;
  /** This instance as owner of records in Redis. */
  private readonly owner = randomUUID();
  private scanTimer: NodeJS.Timeout | undefined;
  private scanning: Promise<void> | undefined;
  private lastScanWarn = 0;

  constructor(opts: CreateReconcilerOptions) {
    this.opts = opts;
    if (opts.store && opts.revive) this.scheduleScan();
  }

  /**
   * Starts looking for the klant in the background. With Redis, resolves once the pending create
   * is recorded there (answer the consumer after that); never rejects.
   */
  async submit(pending: PendingCreate): Promise<void> {
    const log = this.logFields(pending);
    if (this.closing || this.opts.windowMs <= 0 || this.tasks.size >= (this.opts.maxPending ?? 1_000)) {
      const why = this.closing ? 'the gateway is stopping' : this.opts.windowMs <= 0 ? 'reconciliation is off' : 'too many pending';
      this.settle(undefined, this.closing ? 'abandoned' : 'lost', log, why);
      return;
    }
    const deadline = Date.now() + this.opts.windowMs;
    let recordId: string | undefined;
    const { store } = this.opts;
    if (store && this.opts.revive && pending.context) {
      const stored: StoredPendingCreate = { id: randomUUID(), filter: pending.filter, requestId: pending.requestId, context: pending.context, deadline };
      try {
        await store.add(stored.id, stored, this.owner, this.leaseMs());
        recordId = stored.id;
      } catch (err) {
        this.opts.logger?.warn({ ...log, err }, 'pending create not recorded in Redis: it is completed by this instance only');
      }
    }
    this.opts.logger?.warn(
      { ...log, windowMs: this.opts.windowMs, durable: recordId !== undefined },
      'create accepted by the backend but not read back: looking it up in the background for its audit entry and notification',
    );
    this.start(pending, deadline, recordId, log);
  }

  private start(pending: PendingCreate, deadline: number, recordId: string | undefined, log: Record<string, unknown>): void {
    const task: Task = { pending, wake: () => undefined, abandoned: false, completing: false, settled: false, deadline, recordId };
    const run = this.run(task, log).catch((err: unknown) => {
      this.settle(task, 'lost', { ...log, err }, 'reconciliation failed');
    });
    this.tasks.set(task, run);
    void run.finally(() => this.tasks.delete(task));
  }

  private leaseMs(): number {
    return this.opts.leaseMs ?? 15_000;
  }

  /** The next scan, after a jittered pause; unref'd, so it never keeps the process alive. */
  private scheduleScan(): void {
    if (this.closing) return;
    const mean = this.opts.scanEveryMs ?? 3_000;
    this.scanTimer = setTimeout(() => {
      this.scanning = this.scan().finally(() => {
        this.scanning = undefined;
        this.scheduleScan();
      });
    }, mean * (0.5 + Math.random()));
    this.scanTimer.unref();
  }

  /** Renews this instance's leases (dropping the records others took over), then takes over expired ones. */
  private async scan(): Promise<void> {
    const { store, revive, logger } = this.opts;
    if (!store || !revive || this.closing) return;
    try {
      const mine = new Map<string, Task>();
      for (const task of this.tasks.keys()) if (task.recordId !== undefined && !task.settled) mine.set(task.recordId, task);
      for (const id of await store.renew(this.owner, [...mine.keys()], this.leaseMs())) {
        const task = mine.get(id);
        if (!task || task.recordId !== id) continue; // completed or given up by this instance meanwhile
        // Another instance holds it now (this one paused past its lease): it completes or gives up.
        task.recordId = undefined;
        task.abandoned = true;
        task.settled = true;
        task.wake();
        logger?.info(this.logFields(task.pending), 'pending create taken over by another instance');
      }
      if (this.closing) return;
      const room = (this.opts.maxPending ?? 1_000) - this.tasks.size;
      for (const raw of await store.claimExpired(this.owner, this.leaseMs(), room)) {
        const stored = raw as StoredPendingCreate;
        if (mine.has(stored.id)) continue; // still ours, its lease renewed late
        const pending = revive(stored);
        const log = this.logFields(pending);
        logger?.warn({ ...log, deadline: new Date(stored.deadline).toISOString() }, 'taking over a pending create whose instance stopped working on it');
        if (this.closing) {
          await store.release(this.owner, [stored.id]);
          return;
        }
        this.start(pending, stored.deadline, stored.id, log);
      }
    } catch (err) {
      // Redis down: say so at most every 30 s (the next scans keep trying).
      if (Date.now() - this.lastScanWarn < 30_000) return;
      this.lastScanWarn = Date.now();
      logger?.warn({ err }, 'pending creates in Redis not scanned');
    }
  }

  /**
   * Stops: no new reconciliations; each running one makes its last lookup now, and those not done
   * within `deadlineMs` are abandoned (logged, counted). Never waits longer than the deadline, and
   * no timer of this module keeps the process alive.
   */
  async close(deadlineMs: number): Promise<{ abandoned: number }> {
    this.closing = true;
    clearTimeout(this.scanTimer);
    await this.scanning;
    const running = [...this.tasks.entries()];
    if (running.length === 0) return { abandoned: 0 };
    for (const [task] of running) task.wake();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, Math.max(0, deadlineMs));
    });
    await Promise.race([Promise.all(running.map(([, p]) => p)), deadline]);
    clearTimeout(timer);
    let abandoned = 0;
    for (const [task] of running) {
      if (task.settled) continue;
      task.abandoned = true;
      abandoned++;
      const why = task.completing ? 'the gateway stopped while its audit entry and notification were being written' : 'the gateway stopped first';
      this.settle(task, 'abandoned', this.logFields(task.pending), why);
    }
    // What was not finished stays recorded: another instance takes it over at its next scan.
    const left = running.map(([task]) => task.recordId).filter((id) => id !== undefined);
    if (this.opts.store && left.length > 0) {
      await this.opts.store.release(this.owner, left).catch((err: unknown) => {
        this.opts.logger?.warn({ err }, 'pending creates not released: others take them over when their leases run out');
      });
    }
    return { abandoned };
  }

  private async run(task: Task, log: Record<string, unknown>): Promise<void> {
    const { backend } = this.opts;
    const maxDelay = this.opts.maxDelayMs ?? 15_000;
    const endAt = performance.now() + (task.deadline - Date.now());
    let delay = this.opts.firstDelayMs ?? 500;
    let attempts = 0;
    for (;;) {
      if (!this.closing) await this.pause(task, Math.min(delay, Math.max(0, endAt - performance.now())));
      if (task.abandoned) return;
      attempts++;
      let found: StoredKlant[] | undefined;
      try {
        found = await backend.list(task.pending.filter, { requestId: task.pending.requestId });
      } catch {
        // The backend still cannot answer: try again after the next pause.
      }
      if (task.abandoned) return;
      const klant = found?.length === 1 ? found[0] : undefined;
      if (klant !== undefined) {
        // Durable: the record is deleted first, so only one instance ever writes the trail.
        const claim = await this.claimCompletion(task).then(
          (mine) => (mine ? 'mine' : 'theirs'),
          () => 'unknown',
        );
        if (claim === 'theirs') {
          task.settled = true;
          this.opts.logger?.info(log, 'pending create completed by another instance');
          return;
        }
        // 'mine': the record is gone, so complete even if a close deadline passed meanwhile.
        if (claim === 'mine') {
          task.completing = true;
          try {
            await task.pending.complete(klant);
          } catch (err) {
            this.settle(task, 'lost', { ...log, attempts, err }, 'found, but completing its trail failed');
            return;
          }
          this.settle(task, 'found', { ...log, attempts });
          return;
        }
        // 'unknown': Redis cannot tell whether another instance completes it: look again after the next pause.
        found = undefined;
      }
      if (found !== undefined && found.length > 1) {
        // kla-001 broken behind our back: which one is ours cannot be told.
        if (!(await this.claimCompletion(task).catch(() => true))) {
          task.settled = true; // another instance holds it now and decides
          return;
        }
        this.settle(task, 'lost', { ...log, attempts }, 'the backend holds more than one klant with this bronorganisatie + klantnummer');
        return;
      }
      if (this.closing) {
        this.settle(task, 'abandoned', { ...log, attempts }, 'the gateway stopped first');
        return;
      }
      if (performance.now() >= endAt) {
        if (task.recordId !== undefined && !(await this.claimCompletion(task).catch(() => true))) {
          task.settled = true; // another instance holds it now and decides
          return;
        }
        this.settle(task, 'lost', { ...log, attempts }, 'not found within the window');
        return;
      }
      delay = Math.min(delay * 2, maxDelay);
    }
  }

  /**
   * Deletes the task's record while this instance still owns it: true means this instance alone
   * completes (or gives up on) it. Rejects when Redis cannot answer.
   */
  private async claimCompletion(task: Task): Promise<boolean> {
    const id = task.recordId;
    if (id === undefined || !this.opts.store) return true;
    const mine = await this.opts.store.finish(id, this.owner);
    task.recordId = undefined;
    return mine;
  }

  /** An unref'd pause that close() can end early. */
  private pause(task: Task, ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      function done(): void {
        clearTimeout(timer);
        task.wake = () => undefined;
        resolve();
      }
      task.wake = done;
    });
  }

  private settle(task: Task | undefined, outcome: ReconcileOutcome, log: Record<string, unknown>, why?: string): void {
    if (task !== undefined) {
      if (task.settled) return;
      task.settled = true;
    }
    this.opts.onOutcome?.(outcome);
    if (outcome === 'found') {
      this.opts.logger?.info({ ...log, outcome }, 'create reconciled: audit entry and notification written');
      return;
    }
    this.opts.logger?.error(
      { ...log, outcome, reason: why },
      'create accepted by the backend but not reconciled: its audit entry and notification are missing',
    );
  }

  /** What may be logged: no klantnummer, no personal data. */
  private logFields(p: PendingCreate): Record<string, unknown> {
    return { requestId: p.requestId, bronorganisatie: p.filter.bronorganisatie, subjectType: p.filter.subjectType, klantnummerKnown: true };
  }
}
