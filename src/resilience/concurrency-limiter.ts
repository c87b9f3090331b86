// Bounds the backend calls of one instance: at most maxConcurrent in flight, up to queueLimit
// waiting in FIFO order, each for at most its own maxWaitMs. A slow backend then costs the gateway
// a fixed number of sockets and queued requests; everything beyond is refused at once (503)
// instead of piling up until memory or the consumers' patience runs out.

export interface ConcurrencyLimiterOptions {
  maxConcurrent: number;
  queueLimit: number;
}

export type LimiterRejection = 'queue_full' | 'queue_timeout';

export class LimiterRejectedError extends Error {
  override readonly name = 'LimiterRejectedError';
  readonly reason: LimiterRejection;

  constructor(reason: LimiterRejection) {
    super(reason === 'queue_full' ? 'too many backend calls waiting' : 'no backend slot became free in time');
    this.reason = reason;
  }
}

interface Waiter {
  grant: () => void;
  timer: NodeJS.Timeout | undefined;
}

/** Gives the slot back; idempotent. */
export type Release = () => void;

export class ConcurrencyLimiter {
  private readonly max: number;
  private readonly queueLimit: number;
  private active = 0;
  private readonly waiting: Waiter[] = [];

  constructor(opts: ConcurrencyLimiterOptions) {
    this.max = Math.max(1, opts.maxConcurrent);
    this.queueLimit = Math.max(0, opts.queueLimit);
  }

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** A slot, now or after waiting; rejects with LimiterRejectedError when the queue is full or the wait too long. */
  acquire(maxWaitMs?: number): Promise<Release> {
    if (this.active < this.max) {
      this.active += 1;
      return Promise.resolve(this.releaser());
    }
    if (this.waiting.length >= this.queueLimit) return Promise.reject(new LimiterRejectedError('queue_full'));
    return new Promise<Release>((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          clearTimeout(waiter.timer);
          resolve(this.releaser());
        },
        timer: undefined,
      };
      if (maxWaitMs !== undefined) {
        waiter.timer = setTimeout(() => {
          const i = this.waiting.indexOf(waiter);
          if (i !== -1) this.waiting.splice(i, 1);
          reject(new LimiterRejectedError('queue_timeout'));
        }, maxWaitMs);
      }
      this.waiting.push(waiter);
    });
  }

  private releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // Hand the slot straight to the next waiter, so `active` never dips and lets a newcomer jump the queue.
      const next = this.waiting.shift();
      if (next) next.grant();
      else this.active -= 1;
    };
  }
}
