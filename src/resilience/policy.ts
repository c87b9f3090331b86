// The resilience policy toward one backend, independent of the protocol: a circuit breaker, a
// bound on concurrent calls, and retries with jittered backoff for questions only (a kennisgeving
// is never sent twice: the backend may have processed the first one). Per attempt:
//   circuit open? → fast 503 │ wait for a slot (503 when the queue is full or the wait too long)
//   → breaker permit → the call → its verdict moves the breaker → slot released → maybe retry.
// A retry never holds a slot while it sleeps, and stops when the circuit has opened meanwhile.
import { setTimeout as sleep } from 'node:timers/promises';
import { BackendUnavailableError } from '../backend/errors.ts';
import { retryDelayMs } from './backoff.ts';
import { CircuitBreaker, type CircuitState } from './circuit-breaker.ts';
import { ConcurrencyLimiter, LimiterRejectedError, type LimiterRejection } from './concurrency-limiter.ts';

export type Verdict = 'success' | 'failure' | 'neutral';
export type CallKind = 'question' | 'kennisgeving';
export type RejectionReason = 'circuit_open' | LimiterRejection;

export interface CallSpec {
  kind: CallKind;
  /** For observers (metrics, logs), e.g. npsLv01. */
  messageName: string;
  /** Longest wait for a free slot before the call is refused. */
  maxWaitMs: number;
  /** What a thrown error says about the backend. */
  verdict(err: unknown): Verdict;
  /** Whether a failed question may be asked again. */
  retryable(err: unknown): boolean;
}

export interface ResilienceObserver {
  circuitChanged?(to: CircuitState, from: CircuitState): void;
  rejected?(reason: RejectionReason, call: CallSpec): void;
  retrying?(call: CallSpec, retry: number, delayMs: number, err: unknown): void;
}

export interface ResilienceOptions {
  breaker: { failureThreshold: number; openMs: number };
  maxConcurrent: number;
  queueLimit: number;
  retries: { questions: number; baseDelayMs: number };
  observer?: ResilienceObserver;
  now?: () => number;
  random?: () => number;
  sleep?: (ms: number) => Promise<unknown>;
}

/** Retry-After for a refused call when the breaker gives no better estimate. */
const BUSY_RETRY_AFTER_SECONDS = 1;

/** A call the policy refused without sending it (503 with Retry-After). */
export class CallRejectedError extends BackendUnavailableError {
  readonly reason: RejectionReason;

  constructor(reason: RejectionReason, retryAfterSeconds: number) {
    super(503, REJECTION_DETAIL[reason], { retryAfterSeconds });
    this.reason = reason;
  }
}

const REJECTION_DETAIL: Record<RejectionReason, string> = {
  circuit_open: 'Het achterliggende systeem is onbereikbaar; de gateway probeert het later opnieuw.',
  queue_full: 'Het achterliggende systeem is overbelast; probeer het later opnieuw.',
  queue_timeout: 'Het achterliggende systeem is overbelast; probeer het later opnieuw.',
};

export class ResiliencePolicy {
  readonly breaker: CircuitBreaker;
  readonly limiter: ConcurrencyLimiter;
  private readonly retries: ResilienceOptions['retries'];
  private readonly observer: ResilienceObserver;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<unknown>;

  constructor(opts: ResilienceOptions) {
    this.observer = opts.observer ?? {};
    this.breaker = new CircuitBreaker({
      failureThreshold: opts.breaker.failureThreshold,
      openMs: opts.breaker.openMs,
      ...(opts.now ? { now: opts.now } : {}),
      onStateChange: (to, from) => this.observer.circuitChanged?.(to, from),
    });
    this.limiter = new ConcurrencyLimiter({ maxConcurrent: opts.maxConcurrent, queueLimit: opts.queueLimit });
    this.retries = opts.retries;
    this.random = opts.random ?? Math.random;
    this.sleep = opts.sleep ?? sleep;
  }

  circuit(): CircuitState {
    return this.breaker.state;
  }

  inFlight(): number {
    return this.limiter.inFlight;
  }

  queued(): number {
    return this.limiter.queued;
  }

  /** Runs `attempt` under the policy; resolves with its result or throws its (last) error or a CallRejectedError. */
  async run<T>(call: CallSpec, attempt: () => Promise<T>): Promise<T> {
    const retries = call.kind === 'question' ? this.retries.questions : 0;
    let lastError: unknown;
    for (let n = 0; ; n++) {
      try {
        return await this.once(call, attempt);
      } catch (e) {
        // Refused on a retry: the consumer gets what really went wrong, not the refusal.
        if (e instanceof CallRejectedError) throw n === 0 ? e : lastError;
        lastError = e;
        if (n >= retries || !call.retryable(e)) throw e;
      }
      const delay = retryDelayMs(n + 1, this.retries.baseDelayMs, this.random);
      this.observer.retrying?.(call, n + 1, delay, lastError);
      await this.sleep(delay);
    }
  }

  private async once<T>(call: CallSpec, attempt: () => Promise<T>): Promise<T> {
    // Fail fast before queueing when the circuit refuses anyway.
    if (this.breaker.wouldReject()) throw this.reject('circuit_open', call);
    let release: () => void;
    try {
      release = await this.limiter.acquire(call.maxWaitMs);
    } catch (e) {
      if (e instanceof LimiterRejectedError) throw this.reject(e.reason, call);
      throw e;
    }
    try {
      const admission = this.breaker.tryAcquire();
      if (!admission.ok) throw this.reject('circuit_open', call);
      const { permit } = admission;
      try {
        const result = await attempt();
        permit.success();
        return result;
      } catch (e) {
        const verdict = call.verdict(e);
        if (verdict === 'failure') permit.failure();
        else if (verdict === 'success') permit.success();
        else permit.release();
        throw e;
      }
    } finally {
      release();
    }
  }

  private reject(reason: RejectionReason, call: CallSpec): CallRejectedError {
    this.observer.rejected?.(reason, call);
    const retryAfterMs = reason === 'circuit_open' ? this.breaker.retryAfterMs() : 0;
    const seconds = retryAfterMs > 0 ? Math.ceil(retryAfterMs / 1000) : BUSY_RETRY_AFTER_SECONDS;
    return new CallRejectedError(reason, seconds);
  }
}
