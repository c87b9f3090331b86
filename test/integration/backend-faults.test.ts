// A misbehaving backend (garbage, hostile XML, faults, timeouts, down) yields a clean VNG problem
// quickly — never a crash, hang or 500 — and the gateway serves normally once it recovers.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GARBAGE_KINDS, HOSTILE_KINDS, type Fault } from '../../src/simulator/index.ts';
import { startHarness, type Harness } from '../support/harness.ts';

let h: Harness;
let detailPath: string;

beforeAll(async () => {
  h = await startHarness({
    config: {
      // Cache off: every read must reach the faulty backend.
      cache: { ttlSeconds: 0 },
      backend: { questionTimeoutMs: 800, retries: { questions: 0 }, breaker: { failureThreshold: 1000 } },
    },
  });
  const list = await h.get('/api/v1/klanten?subjectType=vestiging');
  detailPath = new URL(list.body.results[0].url).pathname;
});

afterAll(async () => {
  await h?.close();
});

beforeEach(() => {
  h.simulator.clearFaults();
});

const faults: [string, Fault, number][] = [
  ...GARBAGE_KINDS.map((kind): [string, Fault, number] => [`garbage ${kind}`, { type: 'garbage', kind }, 502]),
  ...HOSTILE_KINDS.map((kind): [string, Fault, number] => [`hostile ${kind}`, { type: 'hostile', kind }, 502]),
  ['fo02', { type: 'fo02' }, 502],
  ['down (reset)', { type: 'down', mode: 'reset' }, 502],
  ['slow past the question timeout', { type: 'slow', ms: 3000 }, 504],
];

describe('backend faults on a read', () => {
  it.each(faults)('%s → problem+json with the mapped status, in time', async (_name, fault, status) => {
    h.simulator.setFault(fault);
    const t0 = performance.now();
    const r = await h.get(detailPath);
    const elapsed = performance.now() - t0;
    expect(r.status).toBe(status);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.headers.get('api-version')).toBe('1.0.0');
    expect(r.body).toMatchObject({ status });
    expect(r.body.detail).not.toMatch(/<[!?a-zA-Z]/); // no raw backend XML leaks into the problem
    expect(elapsed).toBeLessThan(5000);
    h.simulator.clearFaults();
    const again = await h.get(detailPath);
    expect(again.status).toBe(200);
  });

  it('the gateway process survived all of them', async () => {
    const r = await h.get('/api/v1/klanten?subjectType=niet_natuurlijk_persoon');
    expect(r.status).toBe(200);
    expect(r.body.count).toBeGreaterThan(0);
  });
});
