// npm run test:faults — faults under steady mixed read/write load, each against a fresh system of
// separate processes (simulator, redis-server, gateways): (a) the backend slow, (b) the backend
// down and back, (c) garbage and Fo02 answers for a while, (d) Redis killed and restarted, (e) one
// of two gateways killed mid-writes. After each: every acknowledged write is in the backend with
// the values sent, every rejected one is absent, unknown outcomes are whole or absent, no answer
// was a 500, a non-problem error or a hang, and the service recovered by itself.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster, type ClusterOptions } from './cluster.ts';
import { MixedLoad, type Violation } from './mixed-load.ts';
import { verifyWrites, type WriteCheck } from './verify.ts';

const USERS = 6;
const STEADY_MS = 4_000;
/** After the fault is gone: how long the load must run cleanly to count as recovered. */
const CLEAN_WINDOW_MS = 2_000;
const RECOVERY_LIMIT_MS = 20_000;
/** Kennisgevingen delayed by a 'slow' fault may still be processed after the load stops. */
const SETTLE_MS = 3_000;

interface Summary {
  fault: string;
  requests: number;
  ok: number;
  failedCleanly: number;
  unknown: number;
  lost: number;
  check: WriteCheck;
  recoveredMs: number | undefined;
  violations: Violation[];
  stale: number;
  seconds: number;
}

const summaries: Summary[] = [];

afterAll(() => {
  const lines = [
    '',
    '| fault | requests sent | ok | failed cleanly | unknown outcome (creates present/absent) | lost | phantom | half | 500/hang/bad body | stale own reads | recovered after | s |',
    '|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|',
    ...summaries.map(
      (s) =>
        `| ${s.fault} | ${s.requests} | ${s.ok} | ${s.failedCleanly} | ${s.unknown} (${s.check.unknownCreatesPresent}/${s.check.unknownCreatesAbsent}) | ${s.lost} | ${s.check.phantom} | ${s.check.half} | ${s.violations.length} | ${s.stale} | ${s.recoveredMs === undefined ? 'NOT' : `${(s.recoveredMs / 1000).toFixed(1)} s`} | ${s.seconds.toFixed(0)} |`,
    ),
  ];
  console.log(lines.join('\n'));
});

/** Runs the load through `inject` (which starts and ends the fault) and checks everything after. */
async function scenario(fault: string, tag: string, opts: ClusterOptions, inject: (c: Cluster) => Promise<void>): Promise<Summary> {
  const t0 = performance.now();
  const c = await startCluster({ redis: true, ...opts });
  const load = new MixedLoad({ gateways: c.gateways, users: USERS, tag });
  try {
    await load.start();
    await sleep(STEADY_MS);
    await inject(c);
    const cleared = performance.now();
    const recoveredAt = await waitForCleanWindow(load, cleared);
    await load.stop();
    await sleep(SETTLE_MS);
    const check = verifyWrites(load.writes, c.storedKlanten());
    const all = [...load.reads, ...load.writes];
    const s: Summary = {
      fault,
      requests: all.length,
      ok: all.filter((r) => r.outcome === 'ok').length,
      failedCleanly: all.filter((r) => r.outcome === 'rejected' || r.outcome === 'refused').length,
      unknown: all.filter((r) => r.outcome === 'unknown').length,
      lost: check.lost,
      check,
      recoveredMs: recoveredAt === undefined ? undefined : recoveredAt - cleared,
      violations: load.violations,
      stale: load.reads.filter((r) => r.stale).length,
      seconds: (performance.now() - t0) / 1000,
    };
    summaries.push(s);
    return s;
  } finally {
    await load.stop();
    await load.close();
    await c.stop();
  }
}

/**
 * Waits until every request answered during CLEAN_WINDOW_MS (at least 10, one of them an
 * acknowledged write) was fine; returns when that window began, or undefined after the limit.
 */
async function waitForCleanWindow(load: MixedLoad, after: number): Promise<number | undefined> {
  const deadline = after + RECOVERY_LIMIT_MS;
  for (let from = after; from < deadline; ) {
    await sleep(250);
    const now = performance.now();
    if (now - from < CLEAN_WINDOW_MS) continue;
    const inWindow = [...load.reads, ...load.writes].filter((r) => r.end >= from && r.end <= from + CLEAN_WINDOW_MS);
    const bad = inWindow.filter((r) => r.outcome !== 'ok');
    const writeOk = load.writes.some((w) => w.end >= from && w.end <= from + CLEAN_WINDOW_MS && w.outcome === 'ok');
    if (bad.length === 0 && inWindow.length >= 10 && writeOk) return from;
    // Slide past the last bad answer (or a little, when the window was merely thin).
    from = bad.length > 0 ? Math.max(...bad.map((r) => r.end)) + 1 : from + 250;
  }
  return undefined;
}

function expectSound(s: Summary): void {
  expect(s.check.problems.slice(0, 10), 'write history vs backend state').toEqual([]);
  expect(s.lost).toBe(0);
  expect(s.violations.slice(0, 10), '500s, hangs, non-problem errors').toEqual([]);
  expect(s.recoveredMs, 'recovered by itself').toBeDefined();
  expect(s.ok).toBeGreaterThan(0);
}

describe('faults under steady mixed read/write load', () => {
  it('(a) the backend becomes slow: half the messages 2.5 s late (past the timeouts) for 8 s', async () => {
    const s = await scenario('(a) backend slow', 'a', {}, async (c) => {
      c.setFault({ type: 'slow', ms: 2_500, share: 0.5 });
      await sleep(8_000);
      c.clearFaults();
    });
    expectSound(s);
  });

  it('(b) the backend goes down (connections reset, then refused) and comes back', async () => {
    const s = await scenario('(b) backend down, back', 'b', {}, async (c) => {
      c.setFault({ type: 'down', mode: 'reset' });
      await sleep(3_000);
      c.setFault({ type: 'down', mode: 'refuse', forMs: 5_000 });
      await sleep(5_500);
      c.clearFaults();
    });
    expectSound(s);
  });

  it('(c) the backend answers garbage (every kind) and then Fo02 for a while', async () => {
    const s = await scenario('(c) garbage, Fo02', 'c', {}, async (c) => {
      for (const kind of ['text', 'html', 'empty', 'truncated', 'cut'] as const) {
        c.setFault({ type: 'garbage', kind, share: 0.6 });
        await sleep(1_200);
      }
      c.clearFaults();
      c.setFault({ type: 'fo02', share: 0.6 });
      await sleep(4_000);
      c.clearFaults();
    });
    expectSound(s);
  });

  it('(d) Redis is killed and restarted (empty)', async () => {
    const s = await scenario('(d) Redis killed, restarted', 'd', {}, async (c) => {
      await c.redis!.kill();
      await sleep(6_000);
      await c.redis!.restart();
    });
    expectSound(s);
  });

  it('(e) one of two gateway instances is killed mid-writes (and later started again)', async () => {
    const s = await scenario('(e) 1 of 2 gateways killed', 'e', { gateways: 2 }, async (c) => {
      await c.gateways[0]!.kill();
      await sleep(6_000);
      await c.gateways[0]!.restart();
    });
    expectSound(s);
  });
});
