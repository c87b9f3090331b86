// Two gateway instances on one shared Redis (single, Cluster or Sentinel) and one simulator, as
// behind one load balancer, with the checks every Redis topology must pass: an entry filled through
// one instance is served by the other, and a write through one is seen through the other at once.
import { expect } from 'vitest';
import { startHarness, type ApiResponse, type Harness } from './harness.ts';
import { klantBody } from './write-fixtures.ts';

export interface TwoGateways {
  a: Harness;
  b: Harness;
  /** Ids of the natuurlijk_persoon klanten on the first list page. */
  ids: string[];
  close(): Promise<void>;
}

export const cacheCounters = (h: Harness) => h.gateway.cache.health().counters;

/** Starts A and B with the same config (its `redis` section names the shared Redis). */
export async function startTwoGateways(config: Record<string, unknown>): Promise<TwoGateways> {
  // Same public base on both instances, as behind one load balancer.
  const shared = { ...config, server: { publicBaseUrl: 'https://klanten.example.nl', ...(config['server'] as object | undefined) } };
  const a = await startHarness({ config: shared });
  const b = await startHarness({ config: shared, sharedSimulator: a.simulator });
  expect(await a.gateway.cache.whenConnected(10_000)).toBe(true);
  expect(await b.gateway.cache.whenConnected(10_000)).toBe(true);
  const list = await a.get('/api/v1/klanten?subjectType=natuurlijk_persoon');
  const ids = list.body.results.map((k: { url: string }) => k.url.split('/').pop());
  return {
    a,
    b,
    ids,
    async close() {
      await b.close();
      await a.close();
    },
  };
}

/** A klant read through A (filled), then through B: from Redis first, then from B's own memory. */
export async function expectSharedCaching(a: Harness, b: Harness, id: string): Promise<ApiResponse> {
  const path = `/api/v1/klanten/${id}`;
  const first = await a.get(path);
  expect(first.status).toBe(200);
  const shared = cacheCounters(b).sharedHits;
  const second = await b.get(path);
  expect(second.text).toBe(first.text);
  expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
  expect(cacheCounters(b).sharedHits).toBe(shared + 1);
  const fastHits = cacheCounters(b).fastPathHits;
  expect((await b.get(path)).text).toBe(first.text);
  expect(cacheCounters(b).fastPathHits).toBe(fastHits + 1);
  return first;
}

/**
 * PATCHes through A, each seen through B at once (no pause: A answers only after B confirmed
 * dropping its copy) although B held the klant — and, with `listPath`, that list page — in memory.
 */
export async function expectWritesSeenAtOnce(a: Harness, b: Harness, id: string, opts: { rounds?: number; listPath?: string } = {}): Promise<void> {
  const path = `/api/v1/klanten/${id}`;
  const { listPath, rounds = 3 } = opts;
  const held = [path, ...(listPath ? [listPath] : [])];
  for (const p of held) await b.get(p);
  const hits = cacheCounters(b).fastPathHits;
  for (const p of held) await b.get(p);
  expect(cacheCounters(b).fastPathHits).toBe(hits + held.length); // all in B's memory now
  for (let round = 0; round < rounds; round++) {
    const telefoonnummer = `06${String(Date.now() + round).slice(-8)}`;
    const patched = await a.request('PATCH', path, { body: { telefoonnummer } });
    expect(patched.status, patched.text).toBe(200);
    expect((await b.get(path)).body.telefoonnummer).toBe(telefoonnummer);
    if (listPath) {
      const list = await b.get(listPath);
      expect(list.body.results.find((k: { url: string }) => k.url.endsWith(id)).telefoonnummer).toBe(telefoonnummer);
    }
  }
}

/** `perInstance` creates without klantnummer on each of A and B at once. */
export function parallelCreates(a: Harness, b: Harness, perInstance: number): Promise<ApiResponse[]> {
  const posts: Promise<ApiResponse>[] = [];
  for (let i = 0; i < perInstance; i++) for (const h of [a, b]) posts.push(h.request('POST', '/api/v1/klanten', { body: klantBody(i % 2 ? 'vestiging' : 'niet_natuurlijk_persoon') }));
  return Promise.all(posts);
}
