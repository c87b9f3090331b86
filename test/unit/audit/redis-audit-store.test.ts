import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditTrail, RedisAuditStore } from '../../../src/audit/index.ts';
import { auditEntry, KLANT_A, KLANT_B } from './fixtures.ts';
import { startRedis, type RedisProcess } from './redis-process.ts';

let redis: RedisProcess;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.destroy();
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

  it('entries survive a restart of Redis', async () => {
    const trail = new AuditTrail(new RedisAuditStore(redis.client(), 'kbrestart'));
    await trail.record(auditEntry(KLANT_A, 'create'));
    const before = await trail.list(KLANT_A);
    await redis.stop();
    await redis.restart();
    const after = new AuditTrail(new RedisAuditStore(redis.client(), 'kbrestart'));
    expect(await after.list(KLANT_A)).toEqual(before);
  });
});
