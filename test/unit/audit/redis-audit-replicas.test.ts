// audit.redisReplicas: with a real master + replica (the Sentinel launcher's pair), an entry is
// answered only once the replica holds it; a replica that does not answer is waited for no longer
// than the timeout, and the gap is reported.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditTrail, RedisAuditStore } from '../../../src/audit/index.ts';
import { auditEntry, KLANT_A } from './fixtures.ts';
import { redisServerAvailable, startRedisSentinel, type RedisSentinelProcess } from '../../support/redis-process.ts';

describe.skipIf(!redisServerAvailable())('RedisAuditStore with replicas (WAIT), real master and replica', () => {
  let pair: RedisSentinelProcess;
  beforeAll(async () => {
    pair = await startRedisSentinel();
  });
  afterAll(async () => {
    await pair?.stop();
  });

  it('an appended entry is already on the replica when the record resolves', async () => {
    const [master, replica] = pair.servers;
    const gaps: number[] = [];
    const trail = new AuditTrail(new RedisAuditStore(master!.client(), 'kbwait', { replicas: 1, replicaTimeoutMs: 5_000, onUnreplicated: (n) => gaps.push(n) }));
    for (let i = 0; i < 20; i++) {
      await trail.record(auditEntry(KLANT_A, 'create'));
      expect(await replica!.client().llen(`kbwait:audit:{${KLANT_A}}`)).toBe(i + 1);
    }
    expect(gaps).toEqual([]);
  });

  it('a replica that does not answer: the record waits the timeout, then reports how many acknowledged', async () => {
    const [master, replica] = pair.servers;
    const gaps: number[] = [];
    const trail = new AuditTrail(new RedisAuditStore(master!.client(), 'kbstalled', { replicas: 1, replicaTimeoutMs: 300, onUnreplicated: (n) => gaps.push(n) }));
    replica!.pause();
    try {
      const started = performance.now();
      await trail.record(auditEntry(KLANT_A, 'create'));
      expect(performance.now() - started).toBeGreaterThanOrEqual(290); // it did wait for the replica
      expect(gaps).toEqual([0]);
    } finally {
      replica!.resume();
    }
    expect(await master!.client().llen(`kbstalled:audit:{${KLANT_A}}`)).toBe(1); // the entry itself is kept
  });
});
