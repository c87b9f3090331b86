// The StUF-ZKN CTP dialect under backend faults, as robust as StUF-BG (backend-faults.test.ts,
// write-failures.test.ts): a zaaksysteem that is slow, down, answers garbage, hostile XML or a
// Fo02/Fo03 gives the consumer a clean VNG problem in time, a failed kennisgeving changes nothing
// (in the simulator's store, audit trail, notifications, cache), and the gateway serves normally
// once the backend recovers. The simulator shapes its bad answers after the ZKN endpoint (a
// broken ctpLa01 in the ZKN namespace), so the CTP reading path is what each case exercises.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GARBAGE_KINDS, startSimulator, type Fault, type SimObject, type Simulator } from '../../src/simulator/index.ts';
import { contractProblems } from '../support/contract.ts';
import { startHarness, type ApiResponse, type Harness } from '../support/harness.ts';
import { BRON, extraOf, klantBody, messageCount, RecordingPorts } from '../support/write-fixtures.ts';

const CTP_MAPPING = 'mappings/stuf-zkn-0310-ctp.yaml';
const QUESTION_TIMEOUT_MS = 800;
const KENNISGEVING_TIMEOUT_MS = 300;
const OPEN_MS = 300;

let sim: Simulator;
/** Cache off, no retries, a breaker that never opens: every read meets the fault as it is. */
let reads: Harness;
/** The write path with recording ports; the breaker opens after 3 failures for OPEN_MS. */
let writes: Harness;
const rec = new RecordingPorts();
let detailPath: string;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 1, sectors: ['zkn'] });
  reads = await startHarness({
    sharedSimulator: sim,
    sector: 'zkn',
    config: {
      cache: { ttlSeconds: 0 },
      backend: { mapping: CTP_MAPPING, questionTimeoutMs: QUESTION_TIMEOUT_MS, retries: { questions: 0 }, breaker: { failureThreshold: 1000 } },
    },
  });
  writes = await startHarness({
    sharedSimulator: sim,
    sector: 'zkn',
    writePorts: rec.ports(),
    config: {
      backend: {
        mapping: CTP_MAPPING,
        kennisgevingTimeoutMs: KENNISGEVING_TIMEOUT_MS,
        retries: { questions: 0 },
        breaker: { failureThreshold: 3, openMs: OPEN_MS },
      },
    },
  });
  rec.attach(writes.gateway);
  const list = await reads.get('/api/v1/klanten?subjectType=vestiging');
  expect(list.status).toBe(200);
  detailPath = new URL(list.body.results[0].url).pathname;
});

afterEach(() => {
  sim.clearFaults();
  expect(reads.invalidStufMessages()).toEqual([]);
});

afterAll(async () => {
  if (reads && writes) expect(contractProblems([...reads.responses, ...writes.responses])).toEqual([]);
  await reads?.close();
  await writes?.close();
  await sim?.stop();
});

/** A VNG problem with this status and code, nothing of the backend's answer quoted in it. */
function expectProblem(r: ApiResponse, status: number, code: string): void {
  const what = `${r.method} ${r.path} → ${r.status} ${r.text.slice(0, 300)}`;
  expect(r.status, what).toBe(status);
  expect(r.headers.get('content-type'), what).toContain('application/problem+json');
  expect(r.headers.get('api-version'), what).toBe('1.0.0');
  expect(r.body, what).toMatchObject({ status, code });
  expect(String(r.body.detail), 'backend markup quoted in the problem detail').not.toMatch(/<[!?a-zA-Z]|xmlns/);
}

const pathOf = (r: ApiResponse): string => new URL(r.body.url as string).pathname;
const ctpStore = (): { key: string; xml: string }[] => sim.objects('CTP').map((o) => ({ key: o.key, xml: o.xml }));
const ctpWith = (klantnummer: string): SimObject[] =>
  sim.objects('CTP').filter((o) => extraOf(o, 'bronorganisatie') === BRON && extraOf(o, 'klantnummer') === klantnummer);
/** A klant as another gateway (another base URL) renders it. */
const withoutUrl = ({ url: _url, ...rest }: Record<string, unknown>) => rest;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits (bounded) until the simulator has answered every ctpLk01 it received, slowed ones included. */
async function kennisgevingenSettled(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (sim.messages().every((m) => m.element !== 'ctpLk01' || m.answer !== undefined)) return;
    await sleep(30);
  }
  throw new Error('a ctpLk01 was never answered');
}

async function create(h: Harness, klantnummer: string, type: 'natuurlijk_persoon' | 'niet_natuurlijk_persoon' | 'vestiging' = 'natuurlijk_persoon'): Promise<ApiResponse> {
  const r = await h.request('POST', '/api/v1/klanten', { body: klantBody(type, { klantnummer }) });
  expect(r.status, r.text).toBe(201);
  return r;
}

describe('a faulty zaaksysteem on a read', () => {
  const cases: [string, number, string, Fault][] = [
    ...GARBAGE_KINDS.map((kind): [string, number, string, Fault] => [`garbage ${kind}`, 502, 'bad_gateway', { type: 'garbage', kind }]),
    ['hostile doctype (external entity)', 502, 'bad_gateway', { type: 'hostile', kind: 'doctype' }],
    ['hostile billion-laughs (entity expansion)', 502, 'bad_gateway', { type: 'hostile', kind: 'billion-laughs' }],
    ['hostile deep nesting', 502, 'bad_gateway', { type: 'hostile', kind: 'deep' }],
    ['hostile huge body', 502, 'bad_gateway', { type: 'hostile', kind: 'huge', sizeMb: 16 }],
    ['hostile wrong-namespace (the real ctpLa01 in another ZKN version)', 502, 'bad_gateway', { type: 'hostile', kind: 'wrong-namespace' }],
    ['Fo02 on the ctpLv01', 502, 'bad_gateway', { type: 'fo02' }],
    ['down (connection reset)', 502, 'bad_gateway', { type: 'down', mode: 'reset' }],
  ];

  it.each(cases)('%s → %i on detail and list; the next clean read works', async (_name, status, code, fault) => {
    for (const path of [detailPath, '/api/v1/klanten?subjectType=natuurlijk_persoon']) {
      const answered = messageCount(sim, 'ctpLv01');
      sim.setFault({ ...fault, messages: ['ctpLv01'] });
      expectProblem(await reads.get(path), status, code);
      expect(messageCount(sim, 'ctpLv01'), 'the fault was met at the ZKN endpoint').toBeGreaterThan(answered);
      sim.clearFaults();
      expect((await reads.get(path)).status).toBe(200);
    }
  });

  it('slow past questionTimeoutMs → 504, given before the zaaksysteem would have answered', async () => {
    const slowMs = QUESTION_TIMEOUT_MS * 4;
    sim.setFault({ type: 'slow', ms: slowMs, messages: ['ctpLv01'] });
    const t0 = performance.now();
    const r = await reads.get(detailPath);
    const elapsed = performance.now() - t0;
    expectProblem(r, 504, 'gateway_timeout');
    expect(elapsed).toBeGreaterThanOrEqual(QUESTION_TIMEOUT_MS - 50);
    expect(elapsed).toBeLessThan(slowMs);
    sim.clearFaults();
    expect((await reads.get(detailPath)).status).toBe(200);
  });
});

describe('the circuit breaker in front of a zaaksysteem that is down', () => {
  afterEach(async () => {
    // Let the opened circuit close again (a probe after OPEN_MS) before the next test.
    await sleep(OPEN_MS + 50);
  });

  it('reads: 502 while the breaker counts, then 503 with Retry-After without asking; served again after openMs', async () => {
    sim.setFault({ type: 'down', mode: 'reset' });
    const statuses: number[] = [];
    let last!: ApiResponse;
    let sentWhenOpen = -1;
    for (let i = 0; i < 5; i++) {
      // A query of its own each time: the cache cannot answer it.
      last = await writes.get(`/api/v1/klanten?klantnummer=DR-${i}`);
      statuses.push(last.status);
      if (last.status === 503 && sentWhenOpen < 0) sentWhenOpen = messageCount(sim, 'ctpLv01');
    }
    expect(statuses.slice(0, 3)).toEqual([502, 502, 502]);
    expect(statuses.slice(3)).toEqual([503, 503]);
    expectProblem(last, 503, 'service_unavailable');
    expect(last.headers.get('retry-after')).toMatch(/^[1-9][0-9]*$/);
    expect(messageCount(sim, 'ctpLv01'), 'no question reaches the backend while the circuit is open').toBe(sentWhenOpen);

    sim.clearFaults();
    await sleep(OPEN_MS + 50);
    const again = await writes.get('/api/v1/klanten?klantnummer=DR-after');
    expect(again.status, again.text).toBe(200);
  });

  it('writes: refused connections → 502, then 503 with Retry-After; no ctpLk01 sent, nothing stored or claimed', async () => {
    const before = rec.counts();
    const store = ctpStore();
    const lk01 = messageCount(sim, 'ctpLk01');
    sim.setFault({ type: 'down', mode: 'refuse' });
    const statuses: number[] = [];
    let last!: ApiResponse;
    for (let i = 0; i < 4; i++) {
      last = await writes.request('POST', '/api/v1/klanten', { body: klantBody('vestiging', { klantnummer: `DW-${i}` }) });
      statuses.push(last.status);
    }
    expect(statuses[0]).toBe(502);
    expectProblem(last, 503, 'service_unavailable');
    expect(last.headers.get('retry-after')).toMatch(/^[1-9][0-9]*$/);
    sim.clearFaults();
    expect(messageCount(sim, 'ctpLk01')).toBe(lk01);
    expect(ctpStore()).toEqual(store);
    expect(rec.counts()).toEqual(before);
  });
});

describe('a Fo02/Fo03 answering a ctpLk01 changes nothing', () => {
  // The 'fo02' fault answers an Lk01 with a Fo03 (plek server), with the code and omschrijving given.
  type Write = 'create' | 'update' | 'delete';
  const cases: [string, number, string, Write, Fault, string][] = [
    ['storing (StUF058, plek server) on the T', 502, 'bad_gateway', 'create', { type: 'fo02' }, 'FO-T1'],
    ['"object is gewijzigd" (StUF066) on the W', 409, 'conflict', 'update', { type: 'fo02', code: 'StUF066', omschrijving: 'Object is gewijzigd' }, 'FO-W1'],
    ['"object niet gevonden" (StUF064) on the V', 404, 'not_found', 'delete', { type: 'fo02', code: 'StUF064', omschrijving: 'Object niet gevonden' }, 'FO-V1'],
    ['"object bestaat al" (StUF065) on the T, the pair free by kla-001', 400, 'invalid', 'create', { type: 'fo02', code: 'StUF065', omschrijving: 'Object bestaat al' }, 'FO-T2'],
    ['"voldoet niet aan het schema" (StUF055) on the W: our message, not the consumer’s', 502, 'bad_gateway', 'update', { type: 'fo02', code: 'StUF055', omschrijving: 'Bericht voldoet niet aan het XML-schema' }, 'FO-W2'],
  ];

  it.each(cases)('%s → %i %s', async (name, status, code, write, fault, klantnummer) => {
    const existing = write === 'create' ? undefined : await create(writes, klantnummer, 'niet_natuurlijk_persoon');
    const store = ctpStore();
    const before = rec.counts();
    const lk01 = messageCount(sim, 'ctpLk01');
    sim.setFault({ ...fault, messages: ['ctpLk01'] });

    const r =
      write === 'create'
        ? await writes.request('POST', '/api/v1/klanten', { body: klantBody('vestiging', { klantnummer }) })
        : write === 'update'
          ? await writes.request('PATCH', pathOf(existing!), { body: { achternaam: 'Gewijzigd', telefoonnummer: '0300000000' } })
          : await writes.request('DELETE', pathOf(existing!));
    expectProblem(r, status, code);
    if (status === 400) expect(r.body.invalidParams?.[0], name).toMatchObject({ name: 'nonFieldErrors', code: 'invalid' });
    expect(messageCount(sim, 'ctpLk01'), 'the kennisgeving reached the zaaksysteem').toBe(lk01 + 1);
    expect(sim.messages().findLast((m) => m.element === 'ctpLk01')).toMatchObject({ valid: true, answer: 'Fo03' });

    sim.clearFaults();
    expect(ctpStore(), 'the store is unchanged').toEqual(store);
    expect(rec.counts(), 'no audit entry, notification or invalidation claims the write').toEqual(before);
    if (existing) expect(withoutUrl((await reads.get(pathOf(existing))).body)).toEqual(withoutUrl(existing.body));
    else expect(ctpWith(klantnummer)).toHaveLength(0);
  });
});

describe('a ctpLk01 without an answer in time', () => {
  it('a T: 504, nothing claimed; the zaaksysteem applies it whole later, and a retry is stopped by kla-001', async () => {
    const before = rec.counts();
    sim.setFault({ type: 'slow', ms: KENNISGEVING_TIMEOUT_MS + 500, messages: ['ctpLk01'], times: 1 });
    const body = klantBody('natuurlijk_persoon', { klantnummer: 'SLOW-T' });
    const r = await writes.request('POST', '/api/v1/klanten', { body });
    expectProblem(r, 504, 'gateway_timeout');
    expect(rec.counts()).toEqual(before);

    await kennisgevingenSettled();
    const stored = ctpWith('SLOW-T');
    expect(stored).toHaveLength(1);
    // Whole: the contactpersoon with its subject, as the T carried it.
    const subject = body.subjectIdentificatie as { inpBsn: string };
    expect(stored[0]!.xml).toContain('<ZKN:naam>Dijk</ZKN:naam>');
    expect(stored[0]!.xml).toContain(`<BG:inp.bsn>${subject.inpBsn}</BG:inp.bsn>`);

    const retry = await writes.request('POST', '/api/v1/klanten', { body });
    expect(retry.status, retry.text).toBe(400);
    expect(retry.body.invalidParams[0].code).toBe('unique');
    expect(ctpWith('SLOW-T')).toHaveLength(1);
    expect(rec.counts()).toEqual(before);
  });

  it('a W changing the contactpersoon and its subject: 504, nothing claimed; the store holds the old state or all of the new, never a part', async () => {
    const created = await create(writes, 'SLOW-W', 'vestiging');
    const old = ctpWith('SLOW-W')[0]!.xml;
    const before = rec.counts();
    sim.setFault({ type: 'slow', ms: KENNISGEVING_TIMEOUT_MS + 500, messages: ['ctpLk01'], times: 1 });
    const change = { achternaam: 'Laat', telefoonnummer: '0201111111', subjectIdentificatie: { vestigingsNummer: '000099998888', handelsnaam: ['Te Laat BV'] } };
    const r = await writes.request('PATCH', pathOf(created), { body: change });
    expectProblem(r, 504, 'gateway_timeout');
    expect(rec.counts()).toEqual(before);

    const now = ctpWith('SLOW-W');
    expect(now).toHaveLength(1);
    const whole = (xml: string) =>
      xml.includes('<ZKN:naam>Laat</ZKN:naam>') && xml.includes('<ZKN:telefoonnummer>0201111111</ZKN:telefoonnummer>') && xml.includes('<BG:vestigingsNummer>000099998888</BG:vestigingsNummer>');
    // Right after the 504 the W may or may not have been applied yet: either state, never a mix.
    expect(now[0]!.xml === old || whole(now[0]!.xml)).toBe(true);

    await kennisgevingenSettled();
    const after = ctpWith('SLOW-W');
    expect(after).toHaveLength(1);
    expect(whole(after[0]!.xml), after[0]!.xml).toBe(true);
    const read = await reads.get(pathOf(created));
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ achternaam: 'Laat', telefoonnummer: '0201111111', subjectIdentificatie: { vestigingsNummer: '000099998888', handelsnaam: ['Te Laat BV'] } });
    expect(rec.counts()).toEqual(before);
  });
});
