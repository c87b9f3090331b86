// Notifications end to end: writes over HTTP against the simulator are announced to a real HTTP
// receiver standing in for the Notificaties API, from the configured durable outbox (a JSONL file
// here); a Notificaties API that is down neither fails nor slows a write.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeJwt, hmacKey, signatureMatches } from '../../src/auth/jwt.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { startHarness, type ApiResponse, type Harness } from '../support/harness.ts';
import { klantBody } from '../support/write-fixtures.ts';
import { startReceiver, until, type Receiver } from '../unit/notifications/receiver.ts';

const NRC_SECRET = 'nrc-client-secret-0123456789';
const dir = mkdtempSync(path.join(tmpdir(), 'kb-notify-it-'));
let receiver: Receiver;
let simulator: Simulator;
let h: Harness;
let config: Record<string, unknown>;

beforeAll(async () => {
  receiver = await startReceiver();
  simulator = await startSimulator({ port: 0, demo: true, seed: 1 });
  config = {
    notificaties: {
      url: receiver.url,
      clientId: 'klantbrug',
      secret: NRC_SECRET,
      timeoutMs: 1_000,
      outboxFile: path.join(dir, 'outbox.jsonl'),
      retry: { maxAttempts: 100, baseDelayMs: 20, maxDelayMs: 200 },
    },
  };
  h = await startHarness({ sharedSimulator: simulator, config });
});

beforeEach(async () => {
  receiver.mode = 'ok';
  await receiver.up();
  receiver.received.length = 0;
  receiver.accepted.length = 0;
});

afterAll(async () => {
  await h?.close();
  await simulator?.stop();
  await receiver?.close();
  rmSync(dir, { recursive: true, force: true });
});

const idOf = (r: ApiResponse): string => String(r.body.url).split('/').pop() ?? '';

describe('notifications after writes', () => {
  it('announces create, update, partial_update and destroy on kanaal klanten, signed with the gateway’s client', async () => {
    const created = await h.request('POST', '/api/v1/klanten', { body: klantBody('vestiging') });
    expect(created.status, created.text).toBe(201);
    const p = `/api/v1/klanten/${idOf(created)}`;
    const { url: _u, ...current } = created.body;
    expect((await h.request('PUT', p, { body: { ...current, functie: 'eigenaar' } })).status).toBe(200);
    expect((await h.request('PATCH', p, { body: { functie: 'bedrijfsleider' } })).status).toBe(200);
    expect((await h.request('DELETE', p)).status).toBe(204);

    await until(() => receiver.accepted.length === 4);
    const url = created.body.url;
    expect(receiver.accepted.map((r) => r.body.actie)).toEqual(['create', 'update', 'partial_update', 'destroy']);
    for (const r of receiver.accepted) {
      expect(r.path).toBe('/api/v1/notificaties');
      expect(r.body).toEqual({
        kanaal: 'klanten',
        hoofdObject: url,
        resource: 'klant',
        resourceUrl: url,
        actie: r.body.actie,
        aanmaakdatum: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        kenmerken: { subjectType: 'vestiging' },
      });
      const jwt = decodeJwt(r.authorization.replace(/^Bearer /, ''));
      expect(jwt?.payload['client_id']).toBe('klantbrug');
      expect(jwt && signatureMatches(hmacKey(NRC_SECRET), jwt)).toBe(true);
    }
  });

  it('a refused write announces nothing', async () => {
    const bad = await h.request('POST', '/api/v1/klanten', { body: { ...klantBody('natuurlijk_persoon'), bronorganisatie: '123' } });
    expect(bad.status).toBe(400);
    const ok = await h.request('POST', '/api/v1/klanten', { body: klantBody('natuurlijk_persoon') });
    await until(() => receiver.accepted.length === 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(receiver.accepted.map((r) => r.body.resourceUrl)).toEqual([ok.body.url]);
  });
});

describe('a Notificaties API that is down or hangs', () => {
  it('does not fail or slow the write; the notification arrives once it is back', async () => {
    await receiver.down();
    const t0 = performance.now();
    const created = await h.request('POST', '/api/v1/klanten', { body: klantBody('niet_natuurlijk_persoon') });
    expect(created.status).toBe(201);
    await new Promise((r) => setTimeout(r, 150)); // some failed attempts
    await receiver.up();
    await until(() => receiver.accepted.length === 1);
    expect(receiver.accepted[0]?.body.resourceUrl).toBe(created.body.url);
    await new Promise((r) => setTimeout(r, 150));
    expect(receiver.accepted).toHaveLength(1);
    expect(performance.now() - t0).toBeLessThan(5_000);
  });

  it('a hanging receiver adds nothing to the write’s time', async () => {
    receiver.mode = 'hang';
    const baseline = await timed(() => h.request('GET', '/api/v1/klanten?subjectType=vestiging'));
    const write = await timed(() => h.request('POST', '/api/v1/klanten', { body: klantBody('vestiging') }));
    expect(write.r.status).toBe(201);
    // The receiver holds each POST for the 1 s delivery timeout; the write does not wait for it.
    expect(write.ms).toBeLessThan(Math.max(800, baseline.ms * 5));
  });

  it('what was not delivered before a restart is delivered by the next gateway on the same outbox', async () => {
    await receiver.down();
    const created = await h.request('POST', '/api/v1/klanten', { body: klantBody('natuurlijk_persoon') });
    expect(created.status).toBe(201);
    await h.close();
    const forIt = () => receiver.accepted.filter((r) => r.body.resourceUrl === created.body.url);
    expect(forIt()).toHaveLength(0);
    await receiver.up();
    h = await startHarness({ sharedSimulator: simulator, config });
    await until(() => forIt().length > 0);
    await new Promise((r) => setTimeout(r, 100));
    expect(forIt()).toHaveLength(1);
  });
});

async function timed<T>(fn: () => Promise<T>): Promise<{ r: T; ms: number }> {
  const t0 = performance.now();
  const r = await fn();
  return { r, ms: performance.now() - t0 };
}
