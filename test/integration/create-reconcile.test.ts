// A create the backend accepted but the gateway could not read back: the consumer gets a 504, and
// the reconciler (src/klanten/create-reconciler.ts) keeps looking the klant up in the background to
// write its audit entry and notification — or, when it never shows up, logs and counts it. Real
// simulator (the read-back made to fail by its fault injection after the T was received), real
// audit file, real outbox and Notificaties stand-in.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubjectType } from '../../src/domain/klant.ts';
import { createLogger } from '../../src/http/index.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { startHarness, type ApiResponse, type Harness } from '../support/harness.ts';
import { createWhileReadBackFails as readBackFailing } from '../support/read-back-faults.ts';
import { BRON } from '../support/write-fixtures.ts';
import { startReceiver, until, type Receiver } from '../unit/notifications/receiver.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'kb-reconcile-it-'));
let simulator: Simulator;
let receiver: Receiver;
let h: Harness;
const logLines: Record<string, unknown>[] = [];

function sideConfig(name: string, windowMs?: number): Record<string, unknown> {
  return {
    backend: windowMs === undefined ? {} : { createReconcileWindowMs: windowMs },
    audit: { store: 'file', file: path.join(dir, `${name}-audit.jsonl`) },
    notificaties: {
      url: receiver.url,
      clientId: 'klantbrug',
      secret: 'nrc-client-secret-0123456789',
      outboxFile: path.join(dir, `${name}-outbox.jsonl`),
      retry: { maxAttempts: 100, baseDelayMs: 20, maxDelayMs: 200 },
    },
  };
}

beforeAll(async () => {
  receiver = await startReceiver();
  simulator = await startSimulator({ port: 0, demo: true, seed: 1 });
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') logLines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  // A short window, so the never-found case ends within the test.
  h = await startHarness({ sharedSimulator: simulator, config: sideConfig('main', 2_500), logger: createLogger({ level: 'info' }, sink) });
});

afterAll(async () => {
  await h?.close();
  await simulator?.stop();
  await receiver?.close();
  rmSync(dir, { recursive: true, force: true });
});

const createWhileReadBackFails = (harness: Harness, subjectType: SubjectType, klantnummer: string, times?: number): Promise<ApiResponse> =>
  readBackFailing(simulator, harness, subjectType, klantnummer, times);

const listQuery = (klantnummer: string) => `/api/v1/klanten?bronorganisatie=${BRON}&klantnummer=${klantnummer}`;

async function metric(harness: Harness, outcome: string): Promise<number> {
  const r = await harness.request('GET', '/metrics', { client: null });
  const m = new RegExp(`^klantbrug_create_reconciliations_total\\{outcome="${outcome}"\\} (\\d+)$`, 'm').exec(r.text);
  return Number(m?.[1] ?? NaN);
}

function expect504(r: ApiResponse, klantnummer: string): void {
  expect(r.status, r.text).toBe(504);
  expect(r.body.code).toBe('gateway_timeout');
  // Where to find the klant: both filters named.
  expect(r.body.detail).toContain(BRON);
  expect(r.body.detail).toContain(klantnummer);
}

describe('a create accepted but not read back', () => {
  it('is reconciled once the backend answers again: audit entry, notification, list cache invalidated', async () => {
    // A cached (empty) list page for the pair: only an invalidation makes the klant appear in it.
    const before = await h.get(listQuery('REC-1'));
    expect(before.status).toBe(200);
    expect(before.body.count).toBe(0);

    // 4 failing read-backs in the request, then the reconciler's first lookup fails too.
    const r = await createWhileReadBackFails(h, 'natuurlijk_persoon', 'REC-1', 5);
    expect504(r, 'REC-1');

    await until(async () => (await h.get(listQuery('REC-1'))).body.count === 1, 15_000);
    const klant = (await h.get(listQuery('REC-1'))).body.results[0];
    const id = String(klant.url).split('/').pop();

    let trail: ApiResponse | undefined;
    await until(async () => {
      trail = await h.get(`/api/v1/klanten/${id}/audittrail`);
      return trail.status === 200 && trail.body.length > 0;
    }, 15_000);
    expect(trail!.body).toHaveLength(1);
    const entry = trail!.body[0];
    expect(entry).toMatchObject({
      bron: 'kc',
      actie: 'create',
      resultaat: 201,
      resource: 'klant',
      resourceUrl: klant.url,
      hoofdObject: klant.url,
      toelichting: 'aangemaakt tijdens storing',
      resourceWeergave: `${BRON} - REC-1`,
    });
    expect(entry.wijzigingen.oud).toBeNull();
    expect(entry.wijzigingen.nieuw).toEqual(klant);

    await until(() => receiver.accepted.some((n) => n.body.resourceUrl === klant.url), 15_000);
    const notes = receiver.accepted.filter((n) => n.body.resourceUrl === klant.url);
    expect(notes.map((n) => n.body.actie)).toEqual(['create']);
    expect(notes[0]?.body.kenmerken).toEqual({ subjectType: 'natuurlijk_persoon' });

    expect(await metric(h, 'found')).toBe(1);
    expect(await metric(h, 'lost')).toBe(0);
    const started = logLines.find((l) => l.requestId === r.headers.get('x-request-id') && l.level === 'warn');
    expect(started?.msg).toMatch(/not read back/);
  });

  it('never found within the window: counted and logged (no personal data), no audit entry, no notification', async () => {
    const r = await createWhileReadBackFails(h, 'vestiging', 'REC-2');
    expect504(r, 'REC-2');
    await until(async () => (await metric(h, 'lost')) === 1, 15_000);
    simulator.clearFaults();

    const klant = (await h.get(listQuery('REC-2'))).body.results[0];
    expect(klant?.klantnummer).toBe('REC-2'); // the backend has it
    const id = String(klant.url).split('/').pop();
    const trail = await h.get(`/api/v1/klanten/${id}/audittrail`);
    expect(trail.status).toBe(200);
    expect(trail.body).toEqual([]);
    await new Promise((res) => setTimeout(res, 200));
    expect(receiver.accepted.filter((n) => n.body.resourceUrl === klant.url)).toEqual([]);

    const line = logLines.find((l) => l.requestId === r.headers.get('x-request-id') && l.level === 'error' && l.outcome === 'lost');
    expect(line).toMatchObject({ bronorganisatie: BRON, subjectType: 'vestiging', klantnummerKnown: true });
    expect(JSON.stringify(line)).not.toContain('REC-2');
  });
});

describe('gateway close with reconciliations running', () => {
  it('makes one last lookup: found then, the trail is complete before the audit store closes', async () => {
    const g = await startHarness({ sharedSimulator: simulator, config: sideConfig('close-found') });
    const r = await createWhileReadBackFails(g, 'niet_natuurlijk_persoon', 'REC-3');
    expect504(r, 'REC-3');
    simulator.clearFaults();
    // The default window is 2 minutes and the next lookup would wait: close ends that wait.
    const closed = await g.gateway.close(5_000);
    expect(closed.drained).toBe(true);
    expect(await g.gateway.metrics.render().then((m) => m.body)).toMatch(/create_reconciliations_total\{outcome="found"\} 1$/m);
    const entries = readFileSync(path.join(dir, 'close-found-audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(entries.filter((e) => e.actie === 'create' && e.resourceWeergave === `${BRON} - REC-3`)).toHaveLength(1);
  });

  it('abandons what it cannot finish within the deadline: counted, and close returns', async () => {
    const g = await startHarness({ sharedSimulator: simulator, config: sideConfig('close-lost') });
    const r = await createWhileReadBackFails(g, 'natuurlijk_persoon', 'REC-4');
    expect504(r, 'REC-4');
    // Still failing: the last lookup fails, and the 2-minute window does not hold the close up.
    await g.gateway.close(1_000);
    simulator.clearFaults();
    const m = await g.gateway.metrics.render();
    expect(m.body).toMatch(/create_reconciliations_total\{outcome="abandoned"\} 1$/m);
    expect(m.body).toMatch(/create_reconciliations_total\{outcome="found"\} 0$/m);
  });
});
