// /healthz, /readyz and /metrics of a real gateway in front of the simulator; the request id in
// the StUF referentienummer; the per-call debug log line without personal data.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/http/index.ts';
import { startHarness, type Harness } from '../support/harness.ts';

let h: Harness;
const logLines: Record<string, unknown>[] = [];
let person: any;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const READINESS_CACHE_MS = 500;

beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line) logLines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  h = await startHarness({
    logger: createLogger({ level: 'debug' }, sink),
    // no representation cache: every read reaches the backend (and its metrics)
    config: { cache: { ttlSeconds: 0 }, backend: { breaker: { failureThreshold: 50, openMs: 60_000 }, retries: { questions: 0, baseDelayMs: 1 } } },
  });
  const list = await h.get('/api/v1/klanten?subjectType=natuurlijk_persoon');
  person = list.body.results.find((k: { achternaam: string }) => k.achternaam.length >= 4);
});

afterAll(async () => {
  await h?.close();
});

beforeEach(() => {
  h.simulator.clearFaults();
});

/** Value of one sample in the exposition text, or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const m = /^([^{\s]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

describe('/healthz and /readyz', () => {
  it('healthz answers 200 without a token', async () => {
    const r = await h.get('/healthz', { client: null });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: 'ok' });
  });

  it('readyz is 200 with the backend reachable and the circuit closed', async () => {
    const r = await h.get('/readyz', { client: null });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('ready');
    expect(r.body.checks.backend).toMatchObject({ status: 'up', critical: true, circuit: 'closed' });
  });

  it('readyz flips to 503 when the backend is down, and back when it returns', async () => {
    h.simulator.setFault({ type: 'down', mode: 'refuse' });
    await sleep(READINESS_CACHE_MS + 20); // past the shared verdict of the previous test
    const down = await h.get('/readyz', { client: null });
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('not_ready');
    expect(down.body.checks.backend.status).toBe('down');
    expect(down.body.checks.backend.detail).toMatch(/connect/);
    // liveness is unaffected
    expect((await h.get('/healthz', { client: null })).status).toBe(200);

    h.simulator.clearFaults();
    await sleep(READINESS_CACHE_MS + 20);
    const back = await h.get('/readyz', { client: null });
    expect(back.status).toBe(200);
  });
});

describe('/metrics', () => {
  it('counts requests by route pattern and status, backend calls by message and outcome', async () => {
    const id = person.url.split('/').at(-1);
    const ok = await h.get(`/api/v1/klanten/${id}`);
    expect(ok.status).toBe(200);
    await h.get(`/api/v1/klanten/${id}`);
    await h.get(`/api/v1/klanten/${id}`, { client: null }); // 401 before any route
    h.simulator.setFault({ type: 'fo02', times: 1 });
    expect((await h.get(`/api/v1/klanten/${id}`)).status).toBe(502);

    const m = await h.get('/metrics', { client: null });
    expect(m.status).toBe(200);
    expect(m.headers.get('content-type')).toContain('text/plain');
    const text = m.text;
    const route = '/api/v1/klanten/:uuid';
    expect(sample(text, 'klantbrug_http_requests_total', { method: 'GET', route, status: '200' })).toBe(2);
    expect(sample(text, 'klantbrug_http_requests_total', { method: 'GET', route, status: '502' })).toBe(1);
    expect(sample(text, 'klantbrug_http_requests_total', { route: '(unrouted)', status: '401' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'klantbrug_http_request_duration_seconds_count', { route, status: '200' })).toBe(2);
    expect(sample(text, 'klantbrug_backend_calls_total', { kind: 'question', message: 'npsLv01', outcome: 'ok' })).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'klantbrug_backend_calls_total', { kind: 'question', message: 'npsLv01', outcome: 'fault' })).toBe(1);
    expect(sample(text, 'klantbrug_backend_circuit_state', { state: 'closed' })).toBe(1);
    expect(sample(text, 'klantbrug_backend_circuit_state', { state: 'open' })).toBe(0);
    expect(sample(text, 'klantbrug_backend_in_flight')).toBe(0);
    expect(sample(text, 'klantbrug_backend_queued')).toBe(0);
    expect(sample(text, 'klantbrug_cache_misses_total')).toBeDefined();
    expect(sample(text, 'klantbrug_redis_state', { state: 'disabled' })).toBe(1);
    // raw paths (with ids) never become labels
    expect(text).not.toContain(id);
  });

  it('exports the counters the cache and Redis connection feed', async () => {
    h.gateway.metrics.cache.hit('l1');
    h.gateway.metrics.cache.notModified();
    h.gateway.metrics.redis.setState('down');
    const text = (await h.get('/metrics', { client: null })).text;
    expect(sample(text, 'klantbrug_cache_hits_total', { tier: 'l1' })).toBe(1);
    expect(sample(text, 'klantbrug_cache_not_modified_total')).toBe(1);
    expect(sample(text, 'klantbrug_redis_state', { state: 'down' })).toBe(1);
    expect(sample(text, 'klantbrug_redis_state', { state: 'disabled' })).toBe(0);
    h.gateway.metrics.redis.setState('disabled');
  });
});

describe('tracing a consumer call into the backend', () => {
  it('puts the X-Request-ID into the referentienummer and logs one debug line per StUF call', async () => {
    const id = person.url.split('/').at(-1);
    const requestId = 'trace-ops-0001';
    const r = await h.get(`/api/v1/klanten/${id}`, { headers: { 'x-request-id': requestId } });
    expect(r.status).toBe(200);
    expect(r.headers.get('x-request-id')).toBe(requestId);

    const sent = h.simulator.messages().filter((msg) => msg.xml.includes(`<StUF:referentienummer>${requestId}-`));
    expect(sent).toHaveLength(1);

    const calls = logLines.filter((l) => l.msg === 'backend call' && l.requestId === requestId);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ level: 'debug', stuf: { kind: 'question', message: 'npsLv01', outcome: 'ok', objects: 1 } });
    expect((calls[0]!.stuf as { referentienummer: string }).referentienummer).toMatch(new RegExp(`^${requestId}-`));

    // no personal data of the klant anywhere in the log, even at debug level
    const log = JSON.stringify(logLines);
    expect(log).not.toContain(person.achternaam);
    const bsn = person.subjectIdentificatie?.inpBsn;
    if (bsn) expect(log).not.toContain(bsn);
  });
});
