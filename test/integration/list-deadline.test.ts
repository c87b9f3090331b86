// backend.listTimeoutMs: a list request walks the backend's pages (indicatorVervolgvraag); each page
// has its own answer timeout, and the list as a whole has a budget, so a slow-but-answering backend
// cannot hold a consumer for hundreds of round trips.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractProblems } from '../support/contract.ts';
import { startHarness, type Harness } from '../support/harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    // Every answer 60 ms late; 5 objects per page: the ~80 vestigingen take ~16 pages (~1 s).
    simulator: { latencyMs: 60 },
    config: { cache: { ttlSeconds: 0 }, backend: { listBatchSize: 5, listTimeoutMs: 300, questionTimeoutMs: 2_000 } },
  });
});

afterAll(async () => {
  // Every answer, the 504 included, is one the served OpenAPI document describes.
  if (h) expect(contractProblems(h.responses)).toEqual([]);
  await h?.close();
});

describe('a list request past its budget', () => {
  it('is a 504 Fout soon after the budget, having stopped asking for pages', async () => {
    const before = h.simulator.stats().requests.total;
    const started = performance.now();
    const r = await h.get('/api/v1/klanten?subjectType=vestiging');
    const elapsed = performance.now() - started;
    expect(r.status, r.text).toBe(504);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.body.detail).toContain('300 ms');
    // It stopped at the first page boundary past the budget: one page more at most.
    const asked = h.simulator.stats().requests.total - before;
    expect(asked).toBeLessThanOrEqual(Math.ceil(300 / 60) + 2);
    expect(elapsed).toBeLessThan(2_000);
  });

  it('a list that fits its budget is answered whole', async () => {
    const r = await h.get('/api/v1/klanten?subjectType=vestiging&klantnummer=does-not-exist');
    expect(r.status, r.text).toBe(200);
    expect(r.body.count).toBe(0);
  });
});
