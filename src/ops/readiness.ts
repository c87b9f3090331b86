// Readiness: may this instance get traffic? Runs named checks (the backend, Redis, ... — each
// with a deadline) and reports per check. A failing critical check makes the instance not ready
// (503); a failing non-critical one only degraded (200): Redis down is served from the backend,
// and taking every instance out of the load balancer for it would turn degradation into an outage.
// Once shutdown begins the answer is 503 at once, without checking anything.
// Results are shared for cacheMs and concurrent callers share one run, so a flood of /readyz
// (it is public) cannot multiply into backend calls.

export type CheckFacts = Record<string, string | number | boolean>;

export interface ReadinessCheck {
  name: string;
  critical: boolean;
  /** Resolves (optionally with facts to report) when healthy; throws when not. */
  check(): Promise<CheckFacts | void>;
}

/** A failed check that has facts to report besides its detail. */
export class ReadinessCheckError extends Error {
  override readonly name = 'ReadinessCheckError';
  readonly facts: CheckFacts;

  constructor(detail: string, facts: CheckFacts = {}) {
    super(detail);
    this.facts = facts;
  }
}

export interface CheckResult {
  status: 'up' | 'down';
  critical: boolean;
  durationMs: number;
  detail?: string;
  [fact: string]: string | number | boolean | undefined;
}

export type ReadinessStatus = 'ready' | 'degraded' | 'not_ready' | 'draining';

export interface ReadinessReport {
  status: ReadinessStatus;
  checks: Record<string, CheckResult>;
}

export interface ReadinessOptions {
  checks?: ReadinessCheck[];
  /** Deadline per check (default 2000 ms). */
  timeoutMs?: number;
  /** How long a report is reused (default 500 ms; 0 = run the checks for every call). */
  cacheMs?: number;
  now?: () => number;
}

export class Readiness {
  private readonly checks: ReadinessCheck[];
  private readonly timeoutMs: number;
  private readonly cacheMs: number;
  private readonly now: () => number;
  private isDraining = false;
  private cached: { report: ReadinessReport; at: number } | undefined;
  private running: Promise<ReadinessReport> | undefined;

  constructor(opts: ReadinessOptions = {}) {
    this.checks = [...(opts.checks ?? [])];
    this.timeoutMs = opts.timeoutMs ?? 2000;
    this.cacheMs = opts.cacheMs ?? 500;
    this.now = opts.now ?? Date.now;
  }

  /** Adds a check (e.g. Redis, once the cache is wired); names must be unique. */
  add(check: ReadinessCheck): void {
    if (this.checks.some((c) => c.name === check.name)) throw new Error(`readiness check ${check.name} exists already`);
    this.checks.push(check);
    this.cached = undefined;
  }

  get draining(): boolean {
    return this.isDraining;
  }

  /** From now on the instance reports 503 `draining`: shutdown has begun. */
  beginDrain(): void {
    this.isDraining = true;
  }

  async report(): Promise<ReadinessReport> {
    if (this.isDraining) return { status: 'draining', checks: {} };
    if (this.cached && this.now() - this.cached.at < this.cacheMs) return this.cached.report;
    this.running ??= this.runChecks().finally(() => {
      this.running = undefined;
    });
    const report = await this.running;
    return this.isDraining ? { status: 'draining', checks: {} } : report;
  }

  private async runChecks(): Promise<ReadinessReport> {
    const results = await Promise.all(this.checks.map((c) => this.runOne(c)));
    const checks: Record<string, CheckResult> = {};
    let status: ReadinessStatus = 'ready';
    for (const [i, r] of results.entries()) {
      const c = this.checks[i]!;
      checks[c.name] = r;
      if (r.status === 'down') status = c.critical ? 'not_ready' : status === 'ready' ? 'degraded' : status;
    }
    const report = { status, checks };
    this.cached = { report, at: this.now() };
    return report;
  }

  private async runOne(c: ReadinessCheck): Promise<CheckResult> {
    const started = performance.now();
    const elapsed = (): number => Math.round((performance.now() - started) * 10) / 10;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ReadinessCheckError(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      const facts = await Promise.race([c.check(), deadline]);
      return { status: 'up', critical: c.critical, durationMs: elapsed(), ...(facts ?? {}) };
    } catch (e) {
      const facts = e instanceof ReadinessCheckError ? e.facts : {};
      return { status: 'down', critical: c.critical, durationMs: elapsed(), detail: safeDetail(e), ...facts };
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * /readyz is public: only texts written to be shown (errors with a `detail`, our own check
 * errors) are reported; anything else by its type only (its message may name hosts or addresses).
 */
function safeDetail(e: unknown): string {
  if (e instanceof ReadinessCheckError) return e.message;
  const detail = (e as { detail?: unknown } | null)?.detail;
  if (typeof detail === 'string' && detail !== '') return detail.slice(0, 200);
  return e instanceof Error ? e.name : 'failed';
}
