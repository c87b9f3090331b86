// ResilientStufClient against the real simulator over HTTP, with its fault injection: retries
// counted on the simulator's side, the breaker's life cycle, error translation.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BackendUnavailableError } from '../../../src/backend/errors.ts';
import { CallRejectedError, ResilientStufClient, type ResilienceOptions } from '../../../src/resilience/index.ts';
import { startSimulator, type Simulator } from '../../../src/simulator/index.ts';
import { NS, type StufCallEvent } from '../../../src/stuf/index.ts';
import { ENTITIES } from '../stuf/fixtures.ts';

const nps = ENTITIES[0]!;
let sim: Simulator;
const clients: ResilientStufClient[] = [];

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 1, demoCount: 30 });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  sim.reset();
});
afterAll(async () => {
  await sim?.stop();
});

function client(resilience: Partial<ResilienceOptions> = {}, questionTimeoutMs = 2000) {
  const events: StufCallEvent[] = [];
  const c = new ResilientStufClient({
    endpoint: sim.url,
    zender: { applicatie: 'klantbrug' },
    ontvanger: { applicatie: 'SIMULATOR' },
    connectTimeoutMs: 1000,
    questionTimeoutMs,
    kennisgevingTimeoutMs: 2000,
    maxResponseBytes: 10 * 1024 * 1024,
    connections: 4,
    onCall: (e) => events.push(e),
    resilience: {
      breaker: { failureThreshold: 3, openMs: 150 },
      maxConcurrent: 4,
      queueLimit: 4,
      retries: { questions: 2, baseDelayMs: 1 },
      ...resilience,
    },
  });
  clients.push(c);
  return { c, events };
}

const question = () => ({
  namespace: NS.bg,
  messageName: 'npsLv01',
  entiteittype: 'NPS',
  sortering: 0,
  indicatorVervolgvraag: false,
  maximumAantal: 5,
  scope: nps.scope,
});

const kennisgeving = () => ({
  namespace: NS.bg,
  messageName: 'npsLk01',
  entiteittype: 'NPS',
  mutatiesoort: 'T' as const,
  objects: [nps.kennisgeving('T')[0]],
});

const received = (element: string): number => sim.stats().requests.byMessage[element] ?? 0;
const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('retries', () => {
  it('asks a question again after dropped connections (each retry reaches the backend)', async () => {
    const { c, events } = client();
    sim.setFault({ type: 'down', mode: 'reset', times: 2 });
    const answer = await c.question({ ...question(), correlationId: 'req-42' });
    expect(answer.objects).toHaveLength(5);
    expect(received('npsLv01')).toBe(3);
    expect(events.map((e) => e.outcome)).toEqual(['network', 'network', 'ok']);
    // every attempt carries the consumer's request id in its own referentienummer
    expect(events.every((e) => e.referentienummer.startsWith('req-42-'))).toBe(true);
    expect(new Set(events.map((e) => e.referentienummer)).size).toBe(3);
  });

  it('never sends a kennisgeving twice', async () => {
    const { c } = client({ retries: { questions: 5, baseDelayMs: 1 } });
    sim.setFault({ type: 'down', mode: 'reset', times: 1 });
    const err = await failure(c.kennisgeving(kennisgeving()));
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect((err as BackendUnavailableError).status).toBe(502);
    expect(received('npsLk01')).toBe(1);
  });

  it('does not repeat a question the backend answered with a fault (502)', async () => {
    const { c } = client();
    sim.setFault({ type: 'fo02' });
    const err = await failure(c.question(question()));
    expect(err).toMatchObject({ name: 'BackendUnavailableError', status: 502 });
    expect(received('npsLv01')).toBe(1);
  });

  it('retries a timed-out question and reports 504', async () => {
    const { c } = client({ retries: { questions: 1, baseDelayMs: 1 } }, 80);
    sim.setFault({ type: 'slow', ms: 300 });
    const err = await failure(c.question(question()));
    expect(err).toMatchObject({ status: 504 });
    expect(received('npsLv01')).toBe(2);
  });
});

describe('error translation', () => {
  it('reads a "not found" fault (StUF064) on a question as an empty answer', async () => {
    const { c } = client();
    sim.setFault({ type: 'fo02', code: 'StUF064', omschrijving: 'Object niet gevonden' });
    const answer = await c.question(question());
    expect(answer.objects).toEqual([]);
    expect(answer.indicatorVervolgvraag).toBe(false);
  });

  it('reports a kennisgeving fault as 502 by default', async () => {
    const { c } = client();
    sim.setFault({ type: 'fo02', messages: ['npsLk01'] });
    const err = await failure(c.kennisgeving(kennisgeving()));
    expect(err).toMatchObject({ name: 'BackendUnavailableError', status: 502 });
  });

  it('reports garbage as 502', async () => {
    const { c } = client();
    sim.setFault({ type: 'garbage', kind: 'html' });
    expect(await failure(c.question(question()))).toMatchObject({ status: 502 });
  });
});

describe('circuit breaker against a backend that goes down', () => {
  it('opens, fails fast, probes after openMs, re-opens on a failed probe and closes on a good one', async () => {
    const { c } = client({ retries: { questions: 0, baseDelayMs: 1 }, breaker: { failureThreshold: 3, openMs: 150 } });
    sim.setFault({ type: 'down', mode: 'reset' });
    for (let i = 0; i < 3; i++) expect(await failure(c.question(question()))).toMatchObject({ status: 502 });
    expect(c.policy.circuit()).toBe('open');

    // open: refused without reaching the backend
    const before = received('npsLv01');
    const fast = await failure(c.question(question()));
    expect(fast).toBeInstanceOf(CallRejectedError);
    expect(fast).toMatchObject({ status: 503, reason: 'circuit_open' });
    expect((fast as CallRejectedError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(received('npsLv01')).toBe(before);

    // half-open: one probe goes through; the backend is still down, so it opens again
    await sleep(170);
    expect(c.policy.circuit()).toBe('half_open');
    expect(await failure(c.question(question()))).toMatchObject({ status: 502 });
    expect(received('npsLv01')).toBe(before + 1);
    expect(c.policy.circuit()).toBe('open');

    // the backend recovers; after openMs the probe succeeds and the circuit closes
    sim.clearFaults();
    expect(await failure(c.question(question()))).toMatchObject({ status: 503 });
    await sleep(170);
    expect((await c.question(question())).objects.length).toBeGreaterThan(0);
    expect(c.policy.circuit()).toBe('closed');
    await expect(c.question(question())).resolves.toBeDefined();
  });

  it('a refused connection (port closed) counts as a failure too', async () => {
    const { c } = client({ retries: { questions: 0, baseDelayMs: 1 }, breaker: { failureThreshold: 2, openMs: 10_000 } });
    sim.setFault({ type: 'down', mode: 'refuse' });
    await failure(c.question(question()));
    await failure(c.question(question()));
    expect(c.policy.circuit()).toBe('open');
  });
});
