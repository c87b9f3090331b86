// The bound on concurrent backend calls: slots, FIFO queue, queue limit and queue timeout.
import { describe, expect, it } from 'vitest';
import { ConcurrencyLimiter, LimiterRejectedError } from '../../../src/resilience/index.ts';

const tick = () => new Promise((r) => setImmediate(r));

describe('ConcurrencyLimiter', () => {
  it('grants maxConcurrent slots at once and queues the rest in FIFO order', async () => {
    const limiter = new ConcurrencyLimiter({ maxConcurrent: 2, queueLimit: 5 });
    const r1 = await limiter.acquire();
    await limiter.acquire();
    const order: number[] = [];
    const waiting = [3, 4, 5].map((n) => limiter.acquire().then((release) => (order.push(n), release)));
    await tick();
    expect(limiter.inFlight).toBe(2);
    expect(limiter.queued).toBe(3);
    r1();
    r1(); // idempotent: must not free a second slot
    await tick();
    expect(order).toEqual([3]);
    expect(limiter.inFlight).toBe(2);
    const r3 = await waiting[0]!;
    r3();
    await tick();
    expect(order).toEqual([3, 4]);
    expect(limiter.queued).toBe(1);
  });

  it('refuses at once when the queue is full', async () => {
    const limiter = new ConcurrencyLimiter({ maxConcurrent: 1, queueLimit: 1 });
    await limiter.acquire();
    void limiter.acquire();
    const err = await limiter.acquire().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LimiterRejectedError);
    expect((err as LimiterRejectedError).reason).toBe('queue_full');
  });

  it('with queueLimit 0 never queues', async () => {
    const limiter = new ConcurrencyLimiter({ maxConcurrent: 1, queueLimit: 0 });
    await limiter.acquire();
    await expect(limiter.acquire()).rejects.toMatchObject({ reason: 'queue_full' });
  });

  it('gives up waiting after maxWaitMs and leaves the queue', async () => {
    const limiter = new ConcurrencyLimiter({ maxConcurrent: 1, queueLimit: 3 });
    const release = await limiter.acquire();
    const err = await limiter.acquire(20).catch((e: unknown) => e);
    expect((err as LimiterRejectedError).reason).toBe('queue_timeout');
    expect(limiter.queued).toBe(0);
    release();
    expect(limiter.inFlight).toBe(0);
  });
});
