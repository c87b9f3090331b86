// Circuit breaker for one backend: `closed` lets every call through and counts consecutive
// failures; at failureThreshold it turns `open` and refuses calls (fast 503) for openMs; then it is
// `half_open`: exactly one call (the probe) goes through, whose outcome closes or re-opens it.
// Outcomes of calls that started in an earlier state are ignored: only the current generation's
// calls may move the breaker, so a slow call from before an outage cannot close it again.

export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitBreakerOptions {
  failureThreshold: number;
  openMs: number;
  now?: () => number;
  onStateChange?: (to: CircuitState, from: CircuitState) => void;
}

/** Permission for one call; report its outcome exactly once (later reports are ignored). */
export interface CircuitPermit {
  /** The backend answered (even with a StUF fault): it is alive. */
  success(): void;
  /** The backend failed (no answer, unusable answer, timeout). */
  failure(): void;
  /** The call says nothing about the backend (cancelled, our own fault): give the permit back. */
  release(): void;
}

export type Admission = { ok: true; permit: CircuitPermit } | { ok: false; retryAfterMs: number };

/** Retry-After while a probe is already under way. */
const PROBE_BUSY_RETRY_MS = 1000;

export class CircuitBreaker {
  private readonly threshold: number;
  private readonly openMs: number;
  private readonly now: () => number;
  private readonly onStateChange: CircuitBreakerOptions['onStateChange'];
  private current: CircuitState = 'closed';
  private generation = 0;
  private failures = 0;
  private openedAt = 0;
  private probing = false;

  constructor(opts: CircuitBreakerOptions) {
    this.threshold = Math.max(1, opts.failureThreshold);
    this.openMs = opts.openMs;
    this.now = opts.now ?? Date.now;
    this.onStateChange = opts.onStateChange;
  }

  /** The state now (an open breaker whose time is up reads as half_open). */
  get state(): CircuitState {
    if (this.current === 'open' && this.now() - this.openedAt >= this.openMs) this.moveTo('half_open');
    return this.current;
  }

  /** Milliseconds until an open breaker lets a probe through (0 when not open). */
  retryAfterMs(): number {
    if (this.state !== 'open') return 0;
    return Math.max(0, this.openedAt + this.openMs - this.now());
  }

  /** Would a call be refused right now? Does not take the probe. */
  wouldReject(): boolean {
    const s = this.state;
    return s === 'open' || (s === 'half_open' && this.probing);
  }

  tryAcquire(): Admission {
    const s = this.state;
    if (s === 'open') return { ok: false, retryAfterMs: this.retryAfterMs() };
    if (s === 'half_open') {
      if (this.probing) return { ok: false, retryAfterMs: PROBE_BUSY_RETRY_MS };
      this.probing = true;
    }
    return { ok: true, permit: this.permit(this.generation, s === 'half_open') };
  }

  private permit(generation: number, probe: boolean): CircuitPermit {
    let done = false;
    const settle = (outcome: 'success' | 'failure' | 'release'): void => {
      if (done) return;
      done = true;
      if (generation !== this.generation) return;
      if (probe) this.probing = false;
      if (outcome === 'success') this.onSuccess();
      else if (outcome === 'failure') this.onFailure();
    };
    return {
      success: () => settle('success'),
      failure: () => settle('failure'),
      release: () => settle('release'),
    };
  }

  private onSuccess(): void {
    this.failures = 0;
    if (this.current === 'half_open') this.moveTo('closed');
  }

  private onFailure(): void {
    if (this.current === 'half_open') {
      this.open();
      return;
    }
    this.failures += 1;
    if (this.current === 'closed' && this.failures >= this.threshold) this.open();
  }

  private open(): void {
    this.openedAt = this.now();
    this.moveTo('open');
  }

  private moveTo(next: CircuitState): void {
    const from = this.current;
    if (from === next) return;
    this.current = next;
    this.generation += 1;
    this.failures = 0;
    this.probing = false;
    this.onStateChange?.(next, from);
  }
}
