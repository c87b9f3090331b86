// Readiness verdicts: critical vs non-critical checks, deadlines, shared runs, draining.
import { describe, expect, it } from 'vitest';
import { BackendUnavailableError } from '../../../src/backend/errors.ts';
import { Readiness, ReadinessCheckError, type ReadinessCheck } from '../../../src/ops/index.ts';

const up = (name: string, critical = true): ReadinessCheck => ({ name, critical, check: async () => ({ mode: 'test' }) });
const down = (name: string, critical: boolean, err: unknown): ReadinessCheck => ({
  name,
  critical,
  check: async () => {
    throw err;
  },
});

describe('Readiness', () => {
  it('is ready when every check is up, and reports their facts', async () => {
    const r = await new Readiness({ checks: [up('backend'), up('redis', false)], cacheMs: 0 }).report();
    expect(r.status).toBe('ready');
    expect(r.checks.backend).toMatchObject({ status: 'up', critical: true, mode: 'test' });
  });

  it('is not ready when a critical check fails, only degraded for a non-critical one', async () => {
    const redisDown = down('redis', false, new Error('connect ECONNREFUSED 10.1.2.3:6379'));
    const degraded = await new Readiness({ checks: [up('backend'), redisDown], cacheMs: 0 }).report();
    expect(degraded.status).toBe('degraded');
    // not a text written for the public: only its type is shown, never hosts or addresses
    expect(degraded.checks.redis).toMatchObject({ status: 'down', detail: 'Error' });
    expect(JSON.stringify(degraded)).not.toContain('10.1.2.3');

    const backendDown = down('backend', true, new BackendUnavailableError(502, 'cannot connect to backend (ECONNREFUSED)'));
    const notReady = await new Readiness({ checks: [backendDown, redisDown], cacheMs: 0 }).report();
    expect(notReady.status).toBe('not_ready');
    expect(notReady.checks.backend?.detail).toBe('cannot connect to backend (ECONNREFUSED)');
  });

  it('reports facts of a failed check', async () => {
    const r = await new Readiness({
      checks: [down('backend', true, new ReadinessCheckError('circuit open', { circuit: 'open' }))],
      cacheMs: 0,
    }).report();
    expect(r.checks.backend).toMatchObject({ status: 'down', detail: 'circuit open', circuit: 'open' });
  });

  it('gives each check a deadline', async () => {
    const hanging: ReadinessCheck = { name: 'backend', critical: true, check: () => new Promise(() => {}) };
    const started = performance.now();
    const r = await new Readiness({ checks: [hanging], timeoutMs: 50, cacheMs: 0 }).report();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(r.checks.backend).toMatchObject({ status: 'down', detail: 'no answer within 50 ms' });
  });

  it('shares one run between concurrent and closely following callers', async () => {
    let runs = 0;
    const counting: ReadinessCheck = {
      name: 'backend',
      critical: true,
      check: async () => {
        runs += 1;
        await new Promise((r) => setTimeout(r, 20));
      },
    };
    let t = 0;
    const readiness = new Readiness({ checks: [counting], cacheMs: 1000, now: () => t });
    await Promise.all(Array.from({ length: 20 }, () => readiness.report()));
    await readiness.report();
    expect(runs).toBe(1);
    t += 1000;
    await readiness.report();
    expect(runs).toBe(2);
  });

  it('answers draining without checking once shutdown began', async () => {
    let runs = 0;
    const readiness = new Readiness({ checks: [{ name: 'backend', critical: true, check: async () => void runs++ }] });
    readiness.beginDrain();
    expect(await readiness.report()).toEqual({ status: 'draining', checks: {} });
    expect(runs).toBe(0);
  });

  it('accepts checks added later, with unique names', async () => {
    const readiness = new Readiness({ checks: [up('backend')], cacheMs: 0 });
    readiness.add(down('redis', false, new Error('x')));
    expect((await readiness.report()).status).toBe('degraded');
    expect(() => readiness.add(up('redis'))).toThrow(/exists/);
  });
});
