// Resilience as a consumer sees it: problem responses with Retry-After from the circuit breaker
// and the concurrency bound, retries of questions (counted by the simulator), 502/504 instead of
// 500 for backend trouble.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { startHarness, type Harness } from '../support/harness.ts';

// One simulator for the three gateways below (its faults are reset between them).
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 1 });
});
afterAll(async () => {
  await sim?.stop();
});
afterEach(() => sim.clearFaults());

// Every request must reach the backend: no representation cache.
const NO_CACHE = { ttlSeconds: 0 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const received = (h: Harness, element: string): number => h.simulator.stats().requests.byMessage[element] ?? 0;

/** Paths of natuurlijke personen (each read is exactly one npsLv01). */
async function personPaths(h: Harness): Promise<string[]> {
  const list = await h.get('/api/v1/klanten?subjectType=natuurlijk_persoon');
  expect(list.status).toBe(200);
  return (list.body.results as { url: string }[]).slice(7, 17).map((k) => new URL(k.url).pathname);
}

async function onePersonPath(h: Harness): Promise<string> {
  return (await personPaths(h))[0]!;
}

describe('circuit breaker through the API', () => {
  let h: Harness;
  let path: string;
  beforeAll(async () => {
    h = await startHarness({
      sharedSimulator: sim,
      config: { cache: NO_CACHE, backend: { breaker: { failureThreshold: 2, openMs: 300 }, retries: { questions: 0, baseDelayMs: 1 } } },
    });
    path = await onePersonPath(h);
  });
  afterAll(async () => h?.close());

  it('502 while failing, then 503 with Retry-After without calling the backend, probe, closed again', async () => {
    h.simulator.setFault({ type: 'down', mode: 'reset' });
    for (let i = 0; i < 2; i++) {
      const r = await h.get(path);
      expect(r.status).toBe(502);
      expect(r.body.code).toBe('bad_gateway');
    }
    const before = received(h, 'npsLv01');
    const open = await h.get(path);
    expect(open.status).toBe(503);
    expect(open.body).toMatchObject({ code: 'service_unavailable', status: 503 });
    expect(open.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(open.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(received(h, 'npsLv01')).toBe(before);

    // half-open probe while still down → open again
    await sleep(320);
    expect((await h.get(path)).status).toBe(502);
    expect(received(h, 'npsLv01')).toBe(before + 1);
    expect((await h.get(path)).status).toBe(503);

    // recovered: the next probe closes the circuit
    h.simulator.clearFaults();
    await sleep(320);
    expect((await h.get(path)).status).toBe(200);
    expect((await h.get(path)).status).toBe(200);

    const metrics = (await h.get('/metrics', { client: null })).text;
    expect(metrics).toMatch(/klantbrug_backend_rejected_total\{reason="circuit_open"\} [1-9]/);
    expect(metrics).toMatch(/klantbrug_backend_circuit_state\{state="closed"\} 1/);
  });
});

describe('retries and timeouts through the API', () => {
  let h: Harness;
  let path: string;
  beforeAll(async () => {
    h = await startHarness({
      sharedSimulator: sim,
      config: {
        cache: NO_CACHE,
        backend: { questionTimeoutMs: 150, retries: { questions: 2, baseDelayMs: 5 }, breaker: { failureThreshold: 100, openMs: 1000 } },
      },
    });
    path = await onePersonPath(h);
  });
  afterAll(async () => h?.close());

  it('a dropped connection is retried: the consumer gets 200, the backend saw the question twice', async () => {
    const before = received(h, 'npsLv01');
    h.simulator.setFault({ type: 'down', mode: 'reset', times: 1 });
    expect((await h.get(path)).status).toBe(200);
    expect(received(h, 'npsLv01') - before).toBe(2);
    const metrics = (await h.get('/metrics', { client: null })).text;
    expect(metrics).toMatch(/klantbrug_backend_retries_total\{message="npsLv01"\} 1/);
  });

  it('a backend slower than questionTimeoutMs gives 504 after 1 + retries attempts', async () => {
    const before = received(h, 'npsLv01');
    h.simulator.setFault({ type: 'slow', ms: 400 });
    const r = await h.get(path);
    expect(r.status).toBe(504);
    expect(r.body.code).toBe('gateway_timeout');
    expect(received(h, 'npsLv01') - before).toBe(3);
  });

  it('a fault is not retried', async () => {
    const before = received(h, 'npsLv01');
    h.simulator.setFault({ type: 'fo02' });
    expect((await h.get(path)).status).toBe(502);
    expect(received(h, 'npsLv01') - before).toBe(1);
  });
});

describe('bound on concurrent backend calls', () => {
  let h: Harness;
  let paths: string[];
  beforeAll(async () => {
    h = await startHarness({ sharedSimulator: sim, config: { cache: NO_CACHE, backend: { maxConcurrent: 1, queueLimit: 1 } } });
    paths = await personPaths(h);
  });
  afterAll(async () => h?.close());

  it('serves maxConcurrent + queueLimit calls of a slow backend and refuses the rest with 503 + Retry-After', async () => {
    h.simulator.setFault({ type: 'latency', ms: 300 });
    // five different klanten: five backend questions (identical reads would be coalesced)
    const results = await Promise.all(paths.slice(0, 5).map((p) => h.get(p)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 503, 503, 503]);
    for (const r of results.filter((x) => x.status === 503)) {
      expect(r.headers.get('retry-after')).toBe('1');
      expect(r.body.code).toBe('service_unavailable');
    }
    const metrics = (await h.get('/metrics', { client: null })).text;
    expect(metrics).toMatch(/klantbrug_backend_rejected_total\{reason="queue_full"\} 3/);
    expect(metrics).toMatch(/klantbrug_backend_in_flight 0/);
  });
});
