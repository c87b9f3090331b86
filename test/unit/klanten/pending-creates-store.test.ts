// The Redis side of durable create reconciliation (src/klanten/pending-creates-store.ts,
// create-reconciler.ts) on a real redis-server: leases, take-over of expired ones, and a completion
// claim only one owner wins — also when two reconcilers both find the klant at the same moment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredKlant } from '../../../src/backend/klanten-backend.ts';
import { CreateReconciler, type PendingCreate, type ReconcileOutcome, type StoredPendingCreate } from '../../../src/klanten/create-reconciler.ts';
import { PendingCreatesStore } from '../../../src/klanten/pending-creates-store.ts';
import { until } from '../notifications/receiver.ts';
import { startRedis, type RedisProcess } from '../../support/redis-process.ts';

let redis: RedisProcess;
let store: PendingCreatesStore;

beforeAll(async () => {
  redis = await startRedis();
  store = new PendingCreatesStore(redis.client(), 'kbu');
});

afterAll(async () => {
  await redis?.stop();
});

describe('PendingCreatesStore', () => {
  it('a leased record is not taken over; an expired one is, once', async () => {
    await store.add('r1', { n: 1 }, 'A', 60_000);
    expect(await store.claimExpired('B', 60_000, 10)).toEqual([]);
    await store.release('A', ['r1']);
    const [first, second] = await Promise.all([store.claimExpired('B', 60_000, 10), store.claimExpired('C', 60_000, 10)]);
    expect([...first, ...second]).toEqual([{ n: 1 }]);
    // A lost it: its renewal says so, its completion claim fails.
    expect(await store.renew('A', ['r1'], 60_000)).toEqual(['r1']);
    expect(await store.finish('r1', 'A')).toBe(false);
    const winner = first.length === 1 ? 'B' : 'C';
    expect(await store.renew(winner, ['r1'], 60_000)).toEqual([]);
    expect(await store.finish('r1', winner)).toBe(true);
    expect(await store.finish('r1', winner)).toBe(false);
    expect(await redis.client().keys('kbu:*')).toEqual([]);
  });

  it('of two owners racing for one completion, exactly one wins', async () => {
    for (let i = 0; i < 20; i++) {
      await store.add(`race${i}`, { i }, 'A', 1);
      await new Promise((res) => setTimeout(res, 5));
      await store.claimExpired('B', 60_000, 10); // B took it over; A does not know yet
      const results = await Promise.all([store.finish(`race${i}`, 'A'), store.finish(`race${i}`, 'B')]);
      expect(results).toEqual([false, true]);
    }
  });
});

describe('two reconcilers on one pending create', () => {
  it('both find the klant (the first one unaware it lost its lease): it is completed once', async () => {
    const shared = new PendingCreatesStore(redis.client(), 'kbr');
    let available = false;
    const lookups = { A: 0, B: 0 };
    const completed: string[] = [];
    const outcomes: ReconcileOutcome[] = [];
    // The backend stand-in: the klant shows up once `available` (both lookups then find it).
    const klant = { ref: { subjectType: 'natuurlijk_persoon' } } as unknown as StoredKlant;
    const reconciler = (name: 'A' | 'B', scanEveryMs: number) => {
      const revive = (p: StoredPendingCreate): PendingCreate => ({ ...p, complete: async () => void completed.push(name) });
      return new CreateReconciler({
        backend: {
          list: async () => {
            lookups[name]++;
            return available ? [klant] : [];
          },
        },
        windowMs: 30_000,
        firstDelayMs: 10,
        maxDelayMs: 20,
        store: shared,
        revive,
        scanEveryMs,
        onOutcome: (o) => outcomes.push(o),
      });
    };
    const a = reconciler('A', 600_000); // never renews within the test: as if paused past its lease
    const b = reconciler('B', 40);
    try {
      const filter = { subjectType: 'natuurlijk_persoon', bronorganisatie: '123456782', klantnummer: 'RACE-1' } as const;
      await a.submit({ filter, requestId: 'req-race', context: { acceptedAt: new Date().toISOString() }, complete: async () => void completed.push('A') });
      const client = redis.client();
      const [id] = await client.hkeys('kbr:{pending-creates}:records');
      const ownerA = await client.hget('kbr:{pending-creates}:owners', id!);
      await client.zadd('kbr:{pending-creates}:leases', 0, id!);
      await until(async () => (await client.hget('kbr:{pending-creates}:owners', id!)) !== ownerA);
      const seen = { ...lookups };
      await until(() => lookups.A > seen.A && lookups.B > seen.B); // both still looking
      available = true;
      await until(() => outcomes.length > 0 && lookups.A > seen.A + 1 && lookups.B > seen.B + 1);
      await new Promise((res) => setTimeout(res, 100));
      expect(completed).toHaveLength(1);
      expect(outcomes).toEqual(['found']);
      expect(await client.keys('kbr:*')).toEqual([]);
    } finally {
      await a.close(0);
      await b.close(0);
    }
  });
});
