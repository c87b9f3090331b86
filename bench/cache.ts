// npm run bench:cache — the representation cache's hit path against the floor (a bare node:http
// server sending the same bytes) and against nginx proxy_cache serving the same bytes from its
// cache, plus 304 revalidation, the same hit through the full Express stack, and the miss path.
// Every server runs in its own process, the load generator (wrk, else autocannon) in another, all
// on loopback. Target: gateway cache hits ≥ 0.5 × nginx proxy_cache in the same run.
// The throughput scenarios run interleaved in rounds and each reports its median round, so a
// burst of other load on the machine does not land on one scenario only.
//
//   BENCH_SECONDS (default 4) per run, BENCH_ROUNDS (default 3), BENCH_CONNECTIONS (default 32).
import os from 'node:os';
import type { CacheHealth } from '../src/cache/index.ts';
import { forkReady, installed, startNginx, startRedis, startSimulator, type Spawned } from './lib/cache-procs.ts';
import { HAVE_WRK, load, type LoadOutcome } from './lib/cache-load.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const MISS_CONNECTIONS = 8;

interface Row {
  name: string;
  result: LoadOutcome | undefined;
  note?: string;
}

type GatewayReady = { url: string; token: string };

const stops: (() => Promise<void>)[] = [];
const notes: string[] = [];

interface Scenario {
  name: string;
  url: string;
  headers: Record<string, string>;
  note?: string;
  /** Around every measured run; the last `after` answer becomes part of the note. */
  before?: () => Promise<void>;
  after?: () => Promise<string | undefined>;
}

/** Warm-up (JIT, connections, caches) of each, then ROUNDS interleaved runs; the median run per scenario. */
async function measureInterleaved(scenarios: Scenario[]): Promise<Row[]> {
  const runs = new Map<Scenario, LoadOutcome[]>(scenarios.map((s) => [s, []]));
  for (const s of scenarios) await load({ url: s.url, headers: s.headers, seconds: 1, connections: CONNECTIONS });
  const checked = new Map<Scenario, string | undefined>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const s of scenarios) {
      await s.before?.();
      runs.get(s)!.push(await load({ url: s.url, headers: s.headers, seconds: SECONDS, connections: CONNECTIONS }));
      if (s.after) checked.set(s, await s.after());
    }
  }
  const rows: Row[] = [];
  for (const s of scenarios) {
    const sorted = [...runs.get(s)!].sort((x, y) => x.rps - y.rps);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    const spread = `runs ${sorted.map((r) => Math.round(r.rps / 1000)).join('/')}k`;
    rows.push({ name: s.name, result: median, note: [spread, s.note, checked.get(s)].filter(Boolean).join('; ') });
  }
  return rows;
}

async function main(): Promise<void> {
  const sim = await startSimulator();
  stops.push(sim.stop);
  let redis: Spawned | undefined;
  if (installed('redis-server', '--version')) {
    redis = await startRedis();
    stops.push(redis.stop);
  } else {
    notes.push('redis-server not installed: gateways use the in-process tier only (the hit path is the same).');
  }
  const gw = await forkReady<GatewayReady>('bench/lib/cache-gateway.ts', { simUrl: sim.url, redisUrl: redis?.url, fastPath: true });
  stops.push(gw.stop);
  const viaExpress = await forkReady<GatewayReady>('bench/lib/cache-gateway.ts', { simUrl: sim.url, redisUrl: redis?.url, fastPath: false });
  stops.push(viaExpress.stop);

  // One klant, its exact bytes and headers as the gateway sends them.
  const auth = { authorization: `Bearer ${gw.ready.token}` };
  const list = (await (await fetch(`${gw.ready.url}/api/v1/klanten?subjectType=natuurlijk_persoon`, { headers: auth })).json()) as {
    results: { url: string }[];
  };
  const path = new URL(list.results[10]!.url).pathname;
  const sample = await fetch(gw.ready.url + path, { headers: auth });
  const body = Buffer.from(await sample.arrayBuffer());
  const etag = sample.headers.get('etag')!;
  if (sample.status !== 200 || !etag) throw new Error(`sample request failed: ${sample.status}`);
  const headers: string[] = [];
  sample.headers.forEach((value, name) => {
    if (!['date', 'connection', 'keep-alive', 'transfer-encoding'].includes(name)) headers.push(name, value);
  });

  const bare = await forkReady<{ port: number }>('bench/lib/cache-bare.ts', { body: body.toString('base64'), headers });
  stops.push(bare.stop);
  const bareUrl = `http://127.0.0.1:${bare.ready.port}`;

  const hitUrl = gw.ready.url + path;
  await fetch(viaExpress.ready.url + path, { headers: auth }).then((r) => r.arrayBuffer()); // fill its cache

  const scenarios: Scenario[] = [{ name: 'bare node:http, same bytes', url: bareUrl + path, headers: auth }];
  let nginxSkipped: Row | undefined;
  if (installed('nginx', '-v')) {
    const nginx = await startNginx(bare.ready.port);
    stops.push(nginx.stop);
    await fetch(nginx.url + path, { headers: auth }).then((r) => r.arrayBuffer()); // fill nginx' cache
    let upstreamBefore = 0;
    let upstreamAsked = 0;
    scenarios.push({
      name: 'nginx proxy_cache hit',
      url: nginx.url + path,
      headers: auth,
      before: async () => {
        upstreamBefore = Number(await (await fetch(`${bareUrl}/__count`)).text());
      },
      after: async () => {
        upstreamAsked += Number(await (await fetch(`${bareUrl}/__count`)).text()) - upstreamBefore;
        return upstreamAsked === 0 ? 'all from its cache' : `${upstreamAsked} went upstream!`;
      },
    });
  } else {
    nginxSkipped = { name: 'nginx proxy_cache hit', result: undefined, note: 'nginx not installed (apt-get install nginx-light)' };
  }
  scenarios.push(
    { name: 'gateway hit: GET /klanten/{uuid}, JWT', url: hitUrl, headers: auth, note: 'fast path' },
    { name: 'gateway 304 revalidation (If-None-Match)', url: hitUrl, headers: { ...auth, 'if-none-match': etag }, note: 'fast path' },
    { name: 'gateway hit through Express (no fast path)', url: viaExpress.ready.url + path, headers: auth },
  );

  const healthBefore = (await gw.ask<{ health: CacheHealth }>('health')).health;
  const rows = await measureInterleaved(scenarios);
  if (nginxSkipped) rows.splice(1, 0, nginxSkipped);
  const healthAfter = (await gw.ask<{ health: CacheHealth }>('health')).health;
  await load({ url: hitUrl, headers: auth, seconds: 1, connections: MISS_CONNECTIONS, uniquePrefix: true }); // warm-up
  rows.push({
    name: 'gateway miss: StUF backend + Redis fill',
    result: await load({ url: hitUrl, headers: auth, seconds: SECONDS, connections: MISS_CONNECTIONS, uniquePrefix: true }),
    note: `c=${MISS_CONNECTIONS}, every request another X-Forwarded-Prefix`,
  });

  const fastServed = healthAfter.counters.fastPathHits - healthBefore.counters.fastPathHits;
  const fills = healthAfter.counters.fills - healthBefore.counters.fills;
  if (fills !== 0) notes.push(`${fills} backend fills during the hit runs (expected 0)`);
  notes.push(
    `the gateway's fast path served ${fastServed} requests in the hit/304 runs; Redis: ${healthAfter.redis?.state ?? 'not configured'}` +
      `${healthAfter.redis ? `, subscribed ${healthAfter.redis.subscribed}` : ''}.`,
  );
  print(rows, body.length);
}

function print(rows: Row[], bytes: number): void {
  const bare = rows[0]?.result?.rps;
  const nginx = rows[1]?.result?.rps;
  const ratio = (v: number | undefined, of: number | undefined) => (v === undefined || of === undefined ? '-' : (v / of).toFixed(2));
  const tool = rows.find((r) => r.result)?.result?.tool ?? (HAVE_WRK ? 'wrk' : 'autocannon');
  const lines = [
    `klantbrug cache benchmark — ${tool}, ${CONNECTIONS} connections, median of ${ROUNDS} interleaved ${SECONDS} s runs after a 1 s warm-up, loopback, body ${bytes} B, Node ${process.version}, ${os.cpus().length} CPUs`,
    '',
    '| scenario | req/s | p50 ms | p99 ms | errors | × bare | × nginx | note |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of rows) {
    const x = r.result;
    lines.push(
      `| ${r.name} | ${x ? Math.round(x.rps).toLocaleString('en') : '-'} | ${x ? x.p50Ms.toFixed(2) : '-'} | ${x ? x.p99Ms.toFixed(2) : '-'} | ${x?.errors ?? '-'} | ${ratio(x?.rps, bare)} | ${ratio(x?.rps, nginx)} | ${r.note ?? ''} |`,
    );
  }
  const hit = rows.find((r) => r.name.startsWith('gateway hit:'))?.result?.rps;
  lines.push('');
  if (hit !== undefined && nginx !== undefined) {
    const share = hit / nginx;
    lines.push(`target: gateway hit ≥ 0.50 × nginx proxy_cache — measured ${share.toFixed(2)} × → ${share >= 0.5 ? 'MET' : 'NOT MET'}`);
  } else {
    lines.push('target: gateway hit ≥ 0.50 × nginx proxy_cache — not measured (nginx missing)');
  }
  for (const n of notes) lines.push(`note: ${n}`);
  process.stdout.write(lines.join('\n') + '\n');
}

try {
  await main();
} finally {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
}
