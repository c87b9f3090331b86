// The breaker's state machine on a hand-driven clock.
import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type CircuitPermit, type CircuitState } from '../../../src/resilience/index.ts';

function setup(failureThreshold = 3, openMs = 1000) {
  let t = 0;
  const changes: string[] = [];
  const breaker = new CircuitBreaker({
    failureThreshold,
    openMs,
    now: () => t,
    onStateChange: (to: CircuitState, from: CircuitState) => changes.push(`${from}->${to}`),
  });
  const permit = (): CircuitPermit => {
    const a = breaker.tryAcquire();
    if (!a.ok) throw new Error(`refused (retry after ${a.retryAfterMs} ms)`);
    return a.permit;
  };
  return { breaker, changes, permit, advance: (ms: number) => (t += ms) };
}

describe('CircuitBreaker', () => {
  it('opens after failureThreshold consecutive failures, not after interrupted runs', () => {
    const { breaker, permit } = setup(3);
    permit().failure();
    permit().failure();
    permit().success(); // resets the run
    permit().failure();
    permit().failure();
    expect(breaker.state).toBe('closed');
    permit().failure();
    expect(breaker.state).toBe('open');
  });

  it('refuses while open, with the time left until the probe', () => {
    const { breaker, permit, advance } = setup(1, 1000);
    permit().failure();
    advance(400);
    const a = breaker.tryAcquire();
    expect(a).toEqual({ ok: false, retryAfterMs: 600 });
    expect(breaker.wouldReject()).toBe(true);
  });

  it('lets exactly one probe through when half-open; its success closes the circuit', () => {
    const { breaker, permit, advance, changes } = setup(1, 1000);
    permit().failure();
    advance(1000);
    expect(breaker.state).toBe('half_open');
    const probe = permit();
    expect(breaker.tryAcquire().ok).toBe(false); // second caller during the probe
    probe.success();
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire().ok).toBe(true);
    expect(changes).toEqual(['closed->open', 'open->half_open', 'half_open->closed']);
  });

  it('re-opens for a full openMs when the probe fails', () => {
    const { breaker, permit, advance } = setup(1, 1000);
    permit().failure();
    advance(1500);
    permit().failure();
    expect(breaker.state).toBe('open');
    advance(999);
    expect(breaker.state).toBe('open');
    advance(1);
    expect(breaker.state).toBe('half_open');
  });

  it('a released probe lets the next caller probe', () => {
    const { breaker, permit, advance } = setup(1, 10);
    permit().failure();
    advance(10);
    permit().release();
    expect(breaker.state).toBe('half_open');
    permit().success();
    expect(breaker.state).toBe('closed');
  });

  it('ignores outcomes of calls that started before the state changed', () => {
    const { breaker, permit, advance } = setup(1, 10);
    const slowOld = permit(); // started while closed
    permit().failure(); // opens
    advance(10);
    const probe = permit();
    slowOld.success(); // from the closed generation: must not close the circuit
    expect(breaker.state).toBe('half_open');
    probe.failure();
    expect(breaker.state).toBe('open');
  });

  it('counts each permit once', () => {
    const { breaker, permit } = setup(2);
    const p = permit();
    p.failure();
    p.failure();
    expect(breaker.state).toBe('closed');
  });
});
