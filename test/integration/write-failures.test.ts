// Failure semantics of the write path: a kennisgeving the backend refuses, does not answer, or
// answers too late changes nothing else — no cache invalidation, audit entry or notification claims
// it happened, and an Idempotency-Key stays free for the retry.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type ApiResponse, type Harness } from '../support/harness.ts';
import { BRON, RecordingPorts, klantBody, messageCount, storedWith } from '../support/write-fixtures.ts';

let h: Harness;
const rec = new RecordingPorts();

beforeAll(async () => {
  h = await startHarness({
    writePorts: rec.ports(),
    config: {
      backend: {
        kennisgevingTimeoutMs: 300,
        retries: { questions: 0 },
        breaker: { failureThreshold: 3, openMs: 300 },
      },
    },
  });
  rec.attach(h.gateway);
});

afterEach(async () => {
  h.simulator.clearFaults();
  expect(h.invalidStufMessages()).toEqual([]);
  // Let an opened circuit close again before the next test.
  await new Promise((r) => setTimeout(r, 350));
});

afterAll(async () => {
  await h?.close();
});

const pathOf = (r: ApiResponse): string => `/api/v1/klanten/${String(r.body.url).split('/').pop()}`;

async function create(body: Record<string, unknown>): Promise<ApiResponse> {
  const r = await h.request('POST', '/api/v1/klanten', { body });
  expect(r.status, r.text).toBe(201);
  return r;
}

describe('a kennisgeving that fails changes nothing', () => {
  it('connection reset on the T → 502; no klant, no audit, no notification, no invalidation; the Idempotency-Key is free again', async () => {
    const body = klantBody('natuurlijk_persoon', { klantnummer: 'FAIL-T1' });
    const headers = { 'idempotency-key': 'fail-then-retry' };
    const before = rec.counts();
    h.simulator.setFault({ type: 'down', mode: 'reset', messages: ['npsLk01'], times: 1 });
    const r = await h.request('POST', '/api/v1/klanten', { body, headers });
    expect(r.status).toBe(502);
    expect(r.body.code).toBe('bad_gateway');
    expect(storedWith(h.simulator, BRON, 'FAIL-T1')).toHaveLength(0);
    expect(rec.counts()).toEqual(before);

    const retry = await h.request('POST', '/api/v1/klanten', { body, headers });
    expect(retry.status).toBe(201);
    expect(storedWith(h.simulator, BRON, 'FAIL-T1')).toHaveLength(1);
    expect(rec.counts().audits).toBe(before.audits + 1);
  });

  it('a backend error (Fo03, plek server) on the W → 502 and the klant keeps its state', async () => {
    const created = await create(klantBody('vestiging'));
    const before = rec.counts();
    h.simulator.setFault({ type: 'fo02', messages: ['vesLk01'] });
    const r = await h.request('PATCH', pathOf(created), { body: { telefoonnummer: '0300000000' } });
    expect(r.status).toBe(502);
    h.simulator.clearFaults();
    expect((await h.get(pathOf(created))).body).toEqual(created.body);
    expect(rec.counts()).toEqual(before);
  });

  it('a backend error on the V → 502 and the klant is still there', async () => {
    const created = await create(klantBody('niet_natuurlijk_persoon'));
    const before = rec.counts();
    h.simulator.setFault({ type: 'garbage', kind: 'html', messages: ['nnpLk01'] });
    const r = await h.request('DELETE', pathOf(created));
    expect(r.status).toBe(502);
    expect(storedWith(h.simulator, BRON, created.body.klantnummer)).toHaveLength(1);
    expect(rec.counts()).toEqual(before);
  });

  it('no answer within kennisgevingTimeoutMs → 504 and nothing is claimed (the backend may still apply it later)', async () => {
    const before = rec.counts();
    h.simulator.setFault({ type: 'slow', ms: 800, messages: ['npsLk01'], times: 1 });
    const r = await h.request('POST', '/api/v1/klanten', { body: klantBody('natuurlijk_persoon', { klantnummer: 'SLOW-1' }) });
    expect(r.status).toBe(504);
    expect(r.body.code).toBe('gateway_timeout');
    expect(rec.counts()).toEqual(before);
    // The ambiguity of a timeout: the simulator applies the T once its delay is over. A retry with
    // the same klantnummer is then stopped by kla-001 instead of creating a second klant.
    await new Promise((res) => setTimeout(res, 900));
    expect(storedWith(h.simulator, BRON, 'SLOW-1')).toHaveLength(1);
    const retry = await h.request('POST', '/api/v1/klanten', { body: klantBody('natuurlijk_persoon', { klantnummer: 'SLOW-1' }) });
    expect(retry.status).toBe(400);
    expect(retry.body.invalidParams[0].code).toBe('unique');
    expect(storedWith(h.simulator, BRON, 'SLOW-1')).toHaveLength(1);
  });

  it('simulator down: 502 while the breaker counts, then 503 with Retry-After without calling it; no kennisgeving ever sent', async () => {
    const before = rec.counts();
    const lk01 = messageCount(h.simulator, 'npsLk01', 'nnpLk01', 'vesLk01');
    h.simulator.setFault({ type: 'down', mode: 'refuse' });
    const statuses: number[] = [];
    let last!: ApiResponse;
    for (let i = 0; i < 4; i++) {
      last = await h.request('POST', '/api/v1/klanten', { body: klantBody('vestiging', { klantnummer: `DOWN-${i}` }) });
      statuses.push(last.status);
    }
    expect(statuses[0]).toBe(502);
    expect(statuses.at(-1)).toBe(503);
    expect(last.headers.get('retry-after')).toMatch(/^[0-9]+$/);
    h.simulator.clearFaults();
    expect(messageCount(h.simulator, 'npsLk01', 'nnpLk01', 'vesLk01')).toBe(lk01);
    expect(rec.counts()).toEqual(before);
  });
});
