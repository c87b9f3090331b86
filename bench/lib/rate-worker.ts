// Child process body of runRate(): one load run, result sent back over IPC.
//  - open loop (spec.rate set): requests are due at fixed times (rate per second) whatever the
//    server does; latency is measured from when a request was DUE, not when it could be sent, so
//    queueing in front of a saturated server counts (no coordinated omission). This is what makes
//    the knee of a latency/offered-load curve visible.
//  - closed loop (no rate): `connections` requests in flight, back to back (throughput).
// Requests go round-robin over spec.requests; `{{n}}`, `{{n36}}`, `{{bsn}}` in a path, header or body become
// a per-request sequence number, its base-36 form, and a unique 9-digit number passing the 11-proef
// (every create gets its own BSN and klantnummer).
import { Pool } from 'undici';
import { fillTemplate as fill, type RateResult, type RateSpec } from './rate.ts';

const spec = await new Promise<RateSpec>((resolve) => process.once('message', (m) => resolve(m as RateSpec)));

function fillHeaders(headers: Record<string, string>, n: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k] = fill(v, n);
  return out;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function run(): Promise<RateResult> {
  const origin = new URL(spec.url).origin;
  const pool = new Pool(origin, { connections: spec.connections, pipelining: 1, keepAliveTimeout: 30_000 });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let timeouts = 0;
  let inFlight = 0;
  let dropped = 0;
  let seq = spec.seqStart ?? 0;
  let rr = 0;
  const timeoutMs = spec.timeoutMs ?? 10_000;
  const maxInFlight = spec.maxInFlight ?? 20_000;

  const one = async (due: number): Promise<void> => {
    const r = spec.requests[rr++ % spec.requests.length]!;
    const n = seq++;
    inFlight++;
    try {
      const res = await pool.request({
        path: fill(r.path, n),
        method: (r.method ?? spec.method ?? 'GET') as 'GET',
        headers: fillHeaders({ ...spec.headers, ...r.headers }, n),
        body: r.body === undefined ? undefined : fill(r.body, n),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      await res.body.dump({ limit: 1 << 30 });
      statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
      latencies.push(performance.now() - due);
    } catch (e) {
      const code = (e as { code?: string }).code ?? '';
      if (code.includes('TIMEOUT')) timeouts++;
      else errors++;
      latencies.push(performance.now() - due);
    } finally {
      inFlight--;
    }
  };

  const started = performance.now();
  const end = started + spec.durationSec * 1000;
  const pending = new Set<Promise<void>>();
  const track = (p: Promise<void>) => {
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };

  if (spec.rate !== undefined) {
    const interval = 1000 / spec.rate;
    let next = started;
    while (performance.now() < end) {
      const now = performance.now();
      while (next <= now && next < end) {
        if (inFlight >= maxInFlight) dropped++;
        else track(one(next));
        next += interval;
      }
      // Yield to the event loop (I/O); a 1 ms timer keeps scheduling error below ~1 ms.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(1, next - performance.now()))));
    }
  } else {
    const loop = async () => {
      while (performance.now() < end) await one(performance.now());
    };
    await Promise.all(Array.from({ length: spec.connections }, loop));
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();

  const sorted = Float64Array.from(latencies).sort();
  const ok = Object.entries(statuses).reduce((s, [code, c]) => s + (Number(code) < 400 ? c : 0), 0);
  return {
    offered: spec.rate,
    requests: latencies.length,
    rps: latencies.length / elapsed,
    okRps: ok / elapsed,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : NaN,
    statuses,
    errors,
    timeouts,
    dropped,
    nextSeq: seq,
  };
}

const out = await run();
process.send!(out, () => process.exit(0));
