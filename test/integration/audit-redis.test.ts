// Audit trail and notifications with Redis configured: two gateway instances on one Redis (and one
// backend) share the audit trail and the notification outbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { startHarness, type ApiResponse, type Harness } from '../support/harness.ts';
import { klantBody } from '../support/write-fixtures.ts';
import { startRedis, type RedisProcess } from '../support/redis-process.ts';
import { startReceiver, until, type Receiver } from '../unit/notifications/receiver.ts';

let redis: RedisProcess;
let receiver: Receiver;
let simulator: Simulator;
let a: Harness;
let b: Harness;

beforeAll(async () => {
  redis = await startRedis({ appendonly: true });
  receiver = await startReceiver();
  simulator = await startSimulator({ port: 0, demo: true, seed: 1 });
  const config = {
    redis: { url: redis.url, keyPrefix: 'kbit' },
    notificaties: { url: receiver.url, clientId: 'klantbrug', secret: 'nrc-secret-0123456789', timeoutMs: 1_000 },
  };
  a = await startHarness({ sharedSimulator: simulator, config });
  b = await startHarness({ sharedSimulator: simulator, config });
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  await simulator?.stop();
  await receiver?.close();
  await redis?.stop();
});

const idOf = (r: ApiResponse): string => String(r.body.url).split('/').pop() ?? '';

describe('two instances, one Redis', () => {
  it('an entry written through A is read through B, from Redis', async () => {
    const created = await a.request('POST', '/api/v1/klanten', { body: klantBody('natuurlijk_persoon') });
    expect(created.status, created.text).toBe(201);
    const id = idOf(created);
    const p = `/api/v1/klanten/${id}`;
    expect((await b.request('PATCH', p, { body: { functie: 'contact' } })).status).toBe(200);
    const viaA = await a.get(`${p}/audittrail`);
    const viaB = await b.get(`${p}/audittrail`);
    expect(viaB.body.map((e: any) => e.actie)).toEqual(['create', 'partial_update']);
    expect(viaA.body.map((e: any) => e.uuid)).toEqual(viaB.body.map((e: any) => e.uuid));
    const client = redis.client();
    expect(await client.llen(`kbit:audit:{${id}}`)).toBe(2);
  });

  it('every write is announced once, whichever instance delivers it', async () => {
    receiver.accepted.length = 0;
    const writes = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).request('POST', '/api/v1/klanten', { body: klantBody('vestiging') })),
    );
    for (const w of writes) expect(w.status).toBe(201);
    await until(() => receiver.accepted.length >= 10);
    await new Promise((r) => setTimeout(r, 200));
    // Each instance renders its own base: compare by klant id. Exactly ten: none twice, none lost.
    const announced = receiver.accepted.map((r) => String(r.body.resourceUrl).split('/').pop()).sort();
    expect(announced).toEqual(writes.map(idOf).sort());
  });
});

describe('the audit store is down', () => {
  it('a write is refused (503) before the backend sees it, and works again once Redis is back', async () => {
    const created = await a.request('POST', '/api/v1/klanten', { body: klantBody('niet_natuurlijk_persoon') });
    expect(created.status, created.text).toBe(201);
    const p = `/api/v1/klanten/${idOf(created)}`;
    await redis.shutdown();
    // The clients notice the closed connection at once; from then on writes are refused.
    await until(async () => (await a.request('PATCH', p, { body: { functie: 'zonder-audit' } })).status === 503);
    const lk01Before = simulator.stats().requests.byMessage['nnpLk01'] ?? 0;
    const refused = await a.request('DELETE', p);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBeTruthy();
    expect(simulator.stats().requests.byMessage['nnpLk01'] ?? 0).toBe(lk01Before);
    await redis.restart();
    await until(async () => (await a.request('PATCH', p, { body: { functie: 'met-audit' } })).status === 200);
    const trail = await a.get(`${p}/audittrail`);
    expect(trail.body.map((e: any) => e.actie).at(-1)).toBe('partial_update');
    expect(trail.body.at(-1).wijzigingen.nieuw.functie).toBe('met-audit');
  });
});
