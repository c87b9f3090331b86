import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditTrail, RedisAuditStore } from '../../../src/audit/index.ts';
import { auditEntry, KLANT_A, KLANT_B } from './fixtures.ts';
import { startRedis, type RedisProcess } from '../../support/redis-process.ts';

let redis: RedisProcess;
beforeAll(async () => {
  redis = await startRedis({ appendonly: true, unixSocket: true });
});
afterAll(async () => {
  await redis?.stop();
});

describe('RedisAuditStore (real redis-server, AOF appendfsync always)', () => {
  it('keeps one list per klant under its hash tag', async () => {
    const client = redis.client();
    const store = new RedisAuditStore(client, 'kbtest');
    const trail = new AuditTrail(store);
    await trail.record(auditEntry(KLANT_A, 'create'));
    await trail.record(auditEntry(KLANT_A, 'partial_update'));
    await trail.record(auditEntry(KLANT_B, 'create'));
    const a = await trail.list(KLANT_A);
    expect(a.map((e) => e.actie)).toEqual(['create', 'partial_update']);
    expect(await trail.get(KLANT_A, a[0]!.uuid)).toEqual(a[0]);
    expect(await client.llen(`kbtest:audit:{${KLANT_A}}`)).toBe(2);
  });

  it('an entry pushed twice (a resent RPUSH whose reply was lost) is listed once', async () => {
    const client = redis.client();
    const trail = new AuditTrail(new RedisAuditStore(client, 'kbresend'));
    await trail.record(auditEntry(KLANT_A, 'create'));
    await trail.record(auditEntry(KLANT_A, 'update'));
    const key = `kbresend:audit:{${KLANT_A}}`;
    const [first] = await client.lrange(key, 0, 0);
    await client.rpush(key, first!); // what the resend leaves behind
    expect(await client.llen(key)).toBe(3);
    const listed = await trail.list(KLANT_A);
    expect(listed.map((e) => e.actie)).toEqual(['create', 'update']);
  });

  it('entries survive a restart of Redis', async () => {
    const trail = new AuditTrail(new RedisAuditStore(redis.client(), 'kbrestart'));
    await trail.record(auditEntry(KLANT_A, 'create'));
    const before = await trail.list(KLANT_A);
    await redis.shutdown();
    await redis.restart();
    const after = new AuditTrail(new RedisAuditStore(redis.client(), 'kbrestart'));
    expect(await after.list(KLANT_A)).toEqual(before);
  });

  it('writable: a reconnect in progress is waited for; a Redis that is gone is refused', async () => {
    const client = redis.client();
    const store = new RedisAuditStore(client, 'kbwritable', { reconnectWaitMs: 2_000 });
    await until(() => client.status === 'ready');
    expect(store.writable()).toBe(true);

    // A dropped connection that comes back (as after a Sentinel failover): the write may go on.
    client.disconnect(true);
    await until(() => client.status !== 'ready');
    const back = store.writable();
    expect(back).toBeInstanceOf(Promise);
    expect(await back).toBe(true);

    // Redis gone: the next reconnect attempt fails, and so does the wait.
    await redis.kill();
    await until(() => client.status !== 'ready');
    expect(await store.writable()).toBe(false);
    await redis.restart();
    await until(() => client.status === 'ready');
    expect(store.writable()).toBe(true);
    expect(await new AuditTrail(store).list(KLANT_A)).toEqual([]);
  });
});

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
