// Child process body of runLoad(): one load run, result sent back over IPC.
//  - mode 'throughput': autocannon with N connections for a fixed time;
//  - mode 'latency': one keep-alive connection, requests back to back, latencies measured with
//    performance.now() (autocannon's histogram has 1 ms resolution, too coarse for sub-ms paths).
import autocannon from 'autocannon';
import { Pool } from 'undici';
import type { LoadResult, LoadSpec } from './load.ts';

const spec = await new Promise<LoadSpec>((resolve) => process.once('message', (m) => resolve(m as LoadSpec)));

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function latencyRun(): Promise<LoadResult> {
  const url = new URL(spec.url);
  const pool = new Pool(url.origin, { connections: 1, pipelining: 1 });
  const lat: number[] = [];
  let errors = 0;
  let non2xx = 0;
  const end = performance.now() + spec.durationSec * 1000;
  const started = performance.now();
  let turn = 0;
  while (performance.now() < end) {
    const target = spec.targets?.[turn++ % spec.targets.length];
    const t0 = performance.now();
    try {
      const res = await pool.request({
        path: target?.path ?? url.pathname + url.search,
        method: (spec.method ?? 'GET') as 'GET',
        headers: spec.headers,
        body: target?.body ?? spec.body,
      });
      await res.body.dump();
      if (res.statusCode < 200 || res.statusCode >= 300) non2xx++;
    } catch {
      errors++;
    }
    lat.push(performance.now() - t0);
  }
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  lat.sort((a, b) => a - b);
  return {
    requests: lat.length,
    rps: lat.length / elapsed,
    p50: percentile(lat, 50),
    p90: percentile(lat, 90),
    p99: percentile(lat, 99),
    errors,
    non2xx,
  };
}

async function throughputRun(): Promise<LoadResult> {
  const targets = spec.targets;
  let turn = 0;
  const result = await autocannon({
    url: spec.url,
    method: (spec.method ?? 'GET') as 'GET',
    headers: spec.headers,
    body: spec.body,
    connections: spec.connections,
    duration: spec.durationSec,
    overallRate: spec.overallRate,
    // One shared counter: each request, whichever connection sends it, takes the next target.
    ...(targets && targets.length > 0
      ? {
          requests: [
            {
              setupRequest: (req: autocannon.Request) => {
                const t = targets[turn++ % targets.length]!;
                return { ...req, path: t.path, ...(t.body !== undefined ? { body: t.body } : {}) };
              },
            },
          ],
        }
      : {}),
  });
  return {
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

const out = spec.mode === 'latency' ? await latencyRun() : await throughputRun();
process.send!(out, () => process.exit(0));
