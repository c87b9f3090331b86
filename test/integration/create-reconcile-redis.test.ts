// Durable create reconciliation with Redis (src/klanten/create-reconciler.ts with
// pending-creates-store.ts): a create accepted but not read back is recorded in Redis before the
// 504, and another instance completes it when the one that answered stops — exactly once. Real
// redis-server, real simulator (read-back failing by fault injection), audit trail and outbox in
// Redis, a Notificaties stand-in.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { startHarness, type ApiResponse, type Harness } from '../support/harness.ts';
import { createWhileReadBackFails } from '../support/read-back-faults.ts';
import { startRedis, type RedisProcess } from '../support/redis-process.ts';
import { BRON } from '../support/write-fixtures.ts';
import { startReceiver, until, type Receiver } from '../unit/notifications/receiver.ts';

const PREFIX = 'kbrec';
const RECORDS = `${PREFIX}:{pending-creates}:records`;
const OWNERS = `${PREFIX}:{pending-creates}:owners`;
const LEASES = `${PREFIX}:{pending-creates}:leases`;

let redis: RedisProcess;
let receiver: Receiver;
let simulator: Simulator;
let b: Harness;
const open: Harness[] = [];

function config(windowMs: number): Record<string, unknown> {
  return {
    redis: { url: redis.url, keyPrefix: PREFIX },
    backend: { createReconcileWindowMs: windowMs },
    notificaties: { url: receiver.url, clientId: 'klantbrug', secret: 'nrc-secret-0123456789', timeoutMs: 1_000 },
  };
}

async function gateway(windowMs = 15_000): Promise<Harness> {
  const h = await startHarness({ sharedSimulator: simulator, config: config(windowMs) });
  open.push(h);
  return h;
}

/** Closes a gateway as a stop that cannot finish: its reconciliations are abandoned at once. */
async function stopAbruptly(h: Harness): Promise<void> {
  open.splice(open.indexOf(h), 1);
  await h.gateway.close(1);
}

beforeAll(async () => {
  redis = await startRedis();
  receiver = await startReceiver();
  simulator = await startSimulator({ port: 0, demo: true, seed: 1 });
  b = await gateway();
});

afterEach(() => simulator.clearFaults());

afterAll(async () => {
  for (const h of open) await h.close();
  await simulator?.stop();
  await receiver?.close();
  await redis?.stop();
});

const listQuery = (klantnummer: string) => `/api/v1/klanten?bronorganisatie=${BRON}&klantnummer=${klantnummer}`;

async function metric(h: Harness, outcome: string): Promise<number> {
  const m = new RegExp(`create_reconciliations_total\\{outcome="${outcome}"\\} (\\d+)$`, 'm').exec((await h.gateway.metrics.render()).body);
  return Number(m?.[1] ?? NaN);
}

/** The klant (through `h`) and, once there, its audit trail and notifications. */
async function completedTrail(h: Harness, klantnummer: string): Promise<{ trail: ApiResponse; notes: unknown[] }> {
  let url = '';
  await until(async () => {
    const list = await h.get(listQuery(klantnummer));
    url = list.body.results[0]?.url ?? '';
    return url !== '';
  }, 10_000);
  const id = url.split('/').pop();
  await until(async () => (await h.get(`/api/v1/klanten/${id}/audittrail`)).body.length > 0, 15_000);
  await until(() => receiver.accepted.some((n) => String(n.body.resourceUrl).endsWith(`/${id}`)), 10_000);
  // Time for a second (wrong) entry or notification to show up, if one were coming.
  await new Promise((res) => setTimeout(res, 500));
  const trail = await h.get(`/api/v1/klanten/${id}/audittrail`);
  const notes = receiver.accepted.filter((n) => String(n.body.resourceUrl).endsWith(`/${id}`)).map((n) => n.body);
  return { trail, notes };
}

describe('pending creates in Redis', () => {
  it('a create accepted on an instance that stops is completed by another: one audit entry, one notification', async () => {
    const a = await gateway();
    const client = redis.client();
    const r = await createWhileReadBackFails(simulator, a, 'natuurlijk_persoon', 'DUR-1');
    expect(r.status, r.text).toBe(504);
    // Recorded before the 504 was answered.
    const ids = await client.hkeys(RECORDS);
    expect(ids).toHaveLength(1);
    const record = JSON.parse((await client.hget(RECORDS, ids[0]!))!);
    expect(record).toMatchObject({ requestId: r.headers.get('x-request-id'), filter: { bronorganisatie: BRON, klantnummer: 'DUR-1' } });
    expect(record.context.toelichting).toBe('aangemaakt tijdens storing');

    await stopAbruptly(a); // the lookup still fails: abandoned, the record stays
    expect(await metric(a, 'abandoned')).toBe(1);
    expect(await client.hkeys(RECORDS)).toEqual(ids);
    simulator.clearFaults();

    const { trail, notes } = await completedTrail(b, 'DUR-1');
    expect(trail.body.map((e: { actie: string }) => e.actie)).toEqual(['create']);
    expect(trail.body[0]).toMatchObject({ resultaat: 201, toelichting: 'aangemaakt tijdens storing', resourceWeergave: `${BRON} - DUR-1` });
    expect(notes).toHaveLength(1);
    expect(await metric(b, 'found')).toBe(1);
    // Gone once completed.
    expect(await client.hlen(RECORDS)).toBe(0);
    expect(await client.zcard(LEASES)).toBe(0);
    expect(await client.hlen(OWNERS)).toBe(0);
  });

  it('two live instances on the same pending create write its audit entry once', async () => {
    const a = await gateway();
    const client = redis.client();
    const foundBefore = (await metric(b, 'found')) + (await metric(a, 'found'));
    const r = await createWhileReadBackFails(simulator, a, 'vestiging', 'DUR-2');
    expect(r.status, r.text).toBe(504);
    const [id] = await client.hkeys(RECORDS);
    const ownerA = await client.hget(OWNERS, id!);
    // A's lease runs out while A keeps working (as after a long pause) until B takes the record
    // over (A's own scan may renew or reclaim it first: expired again until B has it).
    await until(async () => {
      if ((await client.hget(OWNERS, id!)) !== ownerA) return true;
      await client.zadd(LEASES, 0, id!);
      return false;
    }, 15_000);
    simulator.clearFaults();

    const { trail, notes } = await completedTrail(b, 'DUR-2');
    expect(trail.body.map((e: { actie: string }) => e.actie)).toEqual(['create']);
    expect(notes).toHaveLength(1);
    expect((await metric(b, 'found')) + (await metric(a, 'found'))).toBe(foundBefore + 1);
    expect(await client.hlen(RECORDS)).toBe(0);
  });

  it('a create never found within its window is given up (lost) and its record removed', async () => {
    const c = await gateway(1_500);
    const client = redis.client();
    const r = await createWhileReadBackFails(simulator, c, 'niet_natuurlijk_persoon', 'DUR-3');
    expect(r.status, r.text).toBe(504);
    expect(await client.hlen(RECORDS)).toBe(1);
    await until(async () => (await metric(c, 'lost')) === 1, 10_000);
    expect(await client.hlen(RECORDS)).toBe(0);
    expect(await client.zcard(LEASES)).toBe(0);
    simulator.clearFaults();
  });
});
