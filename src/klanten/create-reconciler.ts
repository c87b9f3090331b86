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
// What is lost, honestly: pending reconciliations live in this process only. When the instance
// dies (crash, OOM kill) before one finishes, that create keeps no audit entry and sends no
// notification, ever — the klant exists in the backend without its `create` trail entry. The only
// traces are the warn line logged when the reconciliation started and the consumer's 504 (both
// with the request id). A graceful stop makes one last lookup within the close deadline and logs
// and counts (`abandoned`) what it could not finish. Making this durable would mean recording the
// pending create in shared storage before answering the consumer; not done.
//
// Also accepted: a consumer who finds the klant after the 504 and changes it before the
// reconciler does may see its update entry before the create entry in the trail.
import type { KlantFilter, KlantenBackend, StoredKlant } from '../backend/klanten-backend.ts';
import type { Logger } from '../http/index.ts';

/** found: trail and notification completed; lost: not found within the window (or no room); abandoned: the gateway stopped first. */
export type ReconcileOutcome = 'found' | 'lost' | 'abandoned';

export const RECONCILE_OUTCOMES: readonly ReconcileOutcome[] = ['found', 'lost', 'abandoned'];

export interface PendingCreate {
  /** subjectType, bronorganisatie and klantnummer of the accepted klant (unique by kla-001). */
  filter: Readonly<Required<Pick<KlantFilter, 'subjectType' | 'bronorganisatie' | 'klantnummer'>>>;
  /** The consumer request's id: carried into the lookups' referentienummers and every log line. */
  requestId: string;
  /** Called once with the klant as the backend holds it; should not reject (failures are logged by it). */
  complete(found: StoredKlant): Promise<void>;
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
}

export class CreateReconciler {
  private readonly opts: CreateReconcilerOptions;
  private readonly tasks = new Map<Task, Promise<void>>();
  private closing = false;

  constructor(opts: CreateReconcilerOptions) {
    this.opts = opts;
  }

  /** Starts looking for the klant in the background; returns at once. */
  submit(pending: PendingCreate): void {
    const log = this.logFields(pending);
    if (this.closing || this.opts.windowMs <= 0 || this.tasks.size >= (this.opts.maxPending ?? 1_000)) {
      const why = this.closing ? 'the gateway is stopping' : this.opts.windowMs <= 0 ? 'reconciliation is off' : 'too many pending';
      this.settle(undefined, this.closing ? 'abandoned' : 'lost', log, why);
      return;
    }
    this.opts.logger?.warn(
      { ...log, windowMs: this.opts.windowMs },
      'create accepted by the backend but not read back: looking it up in the background for its audit entry and notification',
    );
    const task: Task = { pending, wake: () => undefined, abandoned: false, completing: false, settled: false };
    const run = this.run(task, log).catch((err: unknown) => {
      this.settle(task, 'lost', { ...log, err }, 'reconciliation failed');
    });
    this.tasks.set(task, run);
    void run.finally(() => this.tasks.delete(task));
  }

  /**
   * Stops: no new reconciliations; each running one makes its last lookup now, and those not done
   * within `deadlineMs` are abandoned (logged, counted). Never waits longer than the deadline, and
   * no timer of this module keeps the process alive.
   */
  async close(deadlineMs: number): Promise<{ abandoned: number }> {
    this.closing = true;
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
    return { abandoned };
  }

  private async run(task: Task, log: Record<string, unknown>): Promise<void> {
    const { backend, windowMs } = this.opts;
    const maxDelay = this.opts.maxDelayMs ?? 15_000;
    const endAt = performance.now() + windowMs;
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
      if (found !== undefined && found.length === 1 && found[0] !== undefined) {
        task.completing = true;
        try {
          await task.pending.complete(found[0]);
        } catch (err) {
          this.settle(task, 'lost', { ...log, attempts, err }, 'found, but completing its trail failed');
          return;
        }
        this.settle(task, 'found', { ...log, attempts });
        return;
      }
      if (found !== undefined && found.length > 1) {
        // kla-001 broken behind our back: which one is ours cannot be told.
        this.settle(task, 'lost', { ...log, attempts }, 'the backend holds more than one klant with this bronorganisatie + klantnummer');
        return;
      }
      if (this.closing) {
        this.settle(task, 'abandoned', { ...log, attempts }, 'the gateway stopped first');
        return;
      }
      if (performance.now() >= endAt) {
        this.settle(task, 'lost', { ...log, attempts }, 'not found within the window');
        return;
      }
      delay = Math.min(delay * 2, maxDelay);
    }
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
