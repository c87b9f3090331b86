// npm run bench:soak — memory under minutes of mixed load: does the gateway's resident memory stay
// flat once warm (no leak in the representation cache, the single-flight map, the token cache,
// connection pools, identity memo, write stores)?
//
// Simulator, redis-server and the gateway (src/main.ts) are separate processes; the gateway runs
// with --inspect on loopback so this script can force a full GC and read its heap through the
// inspector protocol (no debug endpoint in the product); RSS comes from /proc/<pid>/status. The
// in-process cache is limited to 16 MB here; warm-up begins with misses only until it is full, and
// requests with ever new X-Forwarded-Prefix values keep creating entries throughout the run.
// Load: open loop at a fixed rate from a separate process, round-robin over a mix of cache hits,
// misses, lists, fields variants, creates, updates, 404s and bad tokens.
//
//   npm run bench:soak [-- --minutes 3] [--warmup 30] [--rate 300] [--only hits|misses|lists|writes|errors] [--no-redis] [--l1-mb 16]
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { installed, startRedis, type Spawned } from './lib/cache-procs.ts';
import { InspectorClient, inspectorUrl, type MemorySample } from './lib/inspect-memory.ts';
import { ROOT, startGatewayProcess, startSimulatorProcess } from './lib/proc.ts';
import { fillTemplate, runRate, type RateRequest, type RateResult } from './lib/rate.ts';

const { values } = parseArgs({
  options: { minutes: { type: 'string' }, warmup: { type: 'string' }, rate: { type: 'string' }, interval: { type: 'string' }, only: { type: 'string' }, 'no-redis': { type: 'boolean' }, 'l1-mb': { type: 'string' } },
});
/** Restrict the mix to one kind of request (to find what grows): hits, misses, lists, writes, errors. */
const ONLY = values.only;
const MINUTES = Number(values.minutes ?? 3);
const WARMUP_SEC = Number(values.warmup ?? 30);
const RATE = Number(values.rate ?? 300);
const INTERVAL_SEC = Number(values.interval ?? 15);
/** Flat: heap after GC grows less than this over the measured part, RSS less than RSS_BOUND. */
const HEAP_BOUND_MB = 8;
const RSS_BOUND = 0.1;

interface Sample extends MemorySample {
  t: number;
  phase: 'warm-up' | 'measured';
  rps: number;
  ok: number;
  failed: number;
  p99: number;
}

const stops: (() => Promise<void>)[] = [];

const BODY = {
  bronorganisatie: '002220647',
  klantnummer: 'S{{n36}}',
  websiteUrl: 'https://www.example.nl/soak',
  voornaam: 'Soak',
  achternaam: 'Test',
  telefoonnummer: '0612345678',
  emailadres: 'soak@example.nl',
  functie: 'inwoner',
  adres: { straatnaam: 'Kerkstraat', huisnummer: 1, huisletter: '', huisnummertoevoeging: '', postcode: '3511AB', woonplaatsnaam: 'Utrecht', landcode: 'NL' },
  subjectType: 'natuurlijk_persoon',
  subjectIdentificatie: { inpBsn: '{{bsn}}', geslachtsnaam: 'Test', voorvoegselGeslachtsnaam: '', voorletters: 'S', voornamen: 'Soak', geslachtsaanduiding: 'v', geboortedatum: '1970-01-01' },
};

async function main(): Promise<void> {
  const sim = await startSimulatorProcess();
  stops.push(sim.stop);
  let redis: Spawned | undefined;
  if (!values['no-redis'] && installed('redis-server', '--version')) {
    redis = await startRedis();
    stops.push(redis.stop);
  }
  const gw = await startGatewayProcess({
    NODE_OPTIONS: '--inspect=127.0.0.1:0',
    KLANTBRUG_BACKEND__KIND: 'stuf',
    KLANTBRUG_BACKEND__ENDPOINT: sim.url,
    KLANTBRUG_RATELIMIT__PERCLIENTPERMINUTE: '0',
    KLANTBRUG_CACHE__L1MAXBYTES: String(Number(values['l1-mb'] ?? 16) * 1024 * 1024),
    ...(redis ? { REDIS_URL: redis.url } : {}),
  });
  stops.push(gw.stop);
  const pid = gw.child.pid!;
  const wsUrl = inspectorUrl(gw.output());
  if (!wsUrl) throw new Error(`gateway did not print an inspector URL:\n${gw.output()}`);
  const inspector = await InspectorClient.connect(wsUrl);
  stops.push(async () => inspector.close());

  const auth = { authorization: `Bearer ${gw.token}` };
  const json = { ...auth, 'content-type': 'application/json' };
  const details: string[] = [];
  for (let page = 1; ; page++) {
    const r = (await (await fetch(`${gw.url}/api/v1/klanten?page=${page}`, { headers: auth })).json()) as { results: { url: string }[]; next: string | null };
    details.push(...r.results.map((k) => new URL(k.url).pathname));
    if (!r.next) break;
  }
  // Klanten to update (PATCH alternates their telefoonnummer).
  const pool: string[] = [];
  for (let i = 0; i < 40; i++) {
    const r = await fetch(`${gw.url}/api/v1/klanten`, { method: 'POST', headers: json, body: fillTemplate(JSON.stringify(BODY), 5_000_000 + i) });
    if (r.status !== 201) throw new Error(`create failed: ${r.status} ${await r.text()}`);
    pool.push(new URL(((await r.json()) as { url: string }).url).pathname);
  }

  // 40 requests per round: 24 cache hits over all klanten (+ fields), 4 misses with a fresh prefix,
  // 4 lists, 1 create (first round only, see below), 2 updates, 2 × 404, 2 × 401, 1 x 304.
  const mix: (RateRequest & { kind: string })[] = [];
  for (let i = 0; i < 24; i++) mix.push({ kind: 'hits', path: `${details[(i * 11) % details.length]}${i % 4 === 0 ? '?fields=voornaam,adres' : ''}`, headers: auth });
  for (let i = 0; i < 4; i++) mix.push({ kind: 'misses', path: details[(i * 37) % details.length]!, headers: { ...auth, 'x-forwarded-prefix': '/p{{n}}' } });
  mix.push({ kind: 'lists', path: '/api/v1/klanten?subjectType=vestiging', headers: auth });
  mix.push({ kind: 'lists', path: '/api/v1/klanten?subjectType=natuurlijk_persoon&page=2', headers: auth });
  mix.push({ kind: 'lists', path: '/api/v1/klanten?achternaam=Jansen', headers: { ...auth, 'x-forwarded-prefix': '/l{{n}}' } });
  mix.push({ kind: 'lists', path: '/api/v1/klanten?subjectType=niet_natuurlijk_persoon&fields=bedrijfsnaam', headers: auth });
  mix.push({ kind: 'writes', path: '/api/v1/klanten', method: 'POST', headers: json, body: JSON.stringify(BODY) });
  for (let i = 0; i < 2; i++) mix.push({ kind: 'writes', path: '{{pool}}', method: 'PATCH', headers: json, body: '{"telefoonnummer":"06{{n}}"}' });
  mix.push({ kind: 'errors', path: '/api/v1/klanten/5b3c2d7e-1f4a-4c3b-9d2e-8f7a6b5c4d3e', headers: auth });
  mix.push({ kind: 'errors', path: '/api/v1/nergens/{{n}}', headers: auth });
  mix.push({ kind: 'errors', path: details[3]!, headers: { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.{{n}}.x' } });
  mix.push({ kind: 'errors', path: details[4]!, headers: { authorization: `Bearer ${gw.token.slice(0, -4)}{{n36}}` } });
  mix.push({ kind: 'hits', path: details[5]!, headers: { ...auth, 'if-none-match': '"{{n}}"', 'x-request-id': 'soak-{{n}}' } });
  const chosen = mix.filter((r) => ONLY === undefined || r.kind === ONLY).map(({ kind: _kind, ...r }) => r);
  if (chosen.length === 0) throw new Error(`--only ${ONLY}: no such kind (hits, misses, lists, writes, errors)`);
  // 20 rounds of the mix, the PATCHes spread over the pool (no two in flight on one klant), and
  // only one create in the 20 rounds: every klant added makes each list recomputation (after any
  // write invalidates the lists) a little dearer, and a soak needs a steady load.
  let poolTurn = 0;
  const all = Array.from({ length: 20 }, (_, round) =>
    chosen
      .filter((r) => round === 0 || r.method !== 'POST')
      .map((r) => (r.path === '{{pool}}' ? { ...r, path: pool[poolTurn++ % pool.length]! } : r)),
  ).flat();
  const rounds = (): RateRequest[] => all;

  const samples: Sample[] = [];
  let seq = 6_000_000;
  // Warm-up starts by filling the in-process cache to its bound (every miss a new entry), so what
  // follows measures growth beyond the bounds, not the cache filling up.
  if (ONLY === undefined) {
    const fill = mix.filter((r) => r.kind === 'misses').map(({ kind: _kind, ...r }) => r);
    const r = await runRate({ url: gw.url, requests: fill, rate: RATE, connections: 32, durationSec: Math.min(20, WARMUP_SEC / 2), seqStart: seq, timeoutMs: 10_000 });
    seq = r.nextSeq;
  }
  const t0 = performance.now();
  const totalSec = WARMUP_SEC + MINUTES * 60;
  console.log(`soak: ${RATE} req/s open loop${ONLY ? ` (${ONLY} only)` : ''}, ${WARMUP_SEC} s warm-up + ${MINUTES} min measured, sample every ${INTERVAL_SEC} s (gateway pid ${pid})`);
  const first = await inspector.memoryAfterGc(pid);
  samples.push({ t: 0, phase: 'warm-up', rps: 0, ok: 0, failed: 0, p99: NaN, ...first });
  printSample(samples[0]!);
  while ((performance.now() - t0) / 1000 < totalSec - 0.5) {
    const r: RateResult = await runRate({ url: gw.url, requests: rounds(), rate: RATE, connections: 32, durationSec: INTERVAL_SEC, seqStart: seq, timeoutMs: 10_000 });
    seq = r.nextSeq;
    const t = (performance.now() - t0) / 1000;
    const mem = await inspector.memoryAfterGc(pid);
    const failed = r.errors + r.timeouts + Object.entries(r.statuses).reduce((s, [c, n]) => s + (Number(c) >= 500 ? n : 0), 0);
    const ok = Object.entries(r.statuses).reduce((s, [c, n]) => s + (Number(c) < 500 ? n : 0), 0);
    const s: Sample = { t, phase: t <= WARMUP_SEC + 1 ? 'warm-up' : 'measured', rps: r.rps, ok, failed, p99: r.p99, ...mem };
    samples.push(s);
    printSample(s);
  }
  verdict(samples);
}

function printSample(s: Sample): void {
  const f = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '-');
  console.log(
    `t=${f(s.t, 0).padStart(4)} s  ${s.phase.padEnd(8)}  rss ${f(s.rssMb).padStart(6)} MB  heap after GC ${f(s.heapUsedMb).padStart(6)} MB (total ${f(s.heapTotalMb)}, external ${f(s.externalMb)})  ${f(s.rps, 0)} req/s  p99 ${f(s.p99)} ms  <500: ${s.ok}  5xx/errors: ${s.failed}`,
  );
}

function slopePerMin(points: [number, number][]): number {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const num = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const den = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return (num / den) * 60;
}

function verdict(samples: Sample[]): void {
  const measured = samples.filter((s) => s.phase === 'measured');
  const start = samples.filter((s) => s.phase === 'warm-up').at(-1) ?? samples[0]!;
  const end = samples.at(-1)!;
  const heapGrowth = end.heapUsedMb - start.heapUsedMb;
  const rssGrowth = (end.rssMb - start.rssMb) / start.rssMb;
  const heapSlope = slopePerMin(measured.map((s) => [s.t, s.heapUsedMb]));
  const rssSlope = slopePerMin(measured.map((s) => [s.t, s.rssMb]));
  const failed = samples.reduce((n, s) => n + s.failed, 0);
  const total = samples.reduce((n, s) => n + s.ok + s.failed, 0);
  const flat = heapGrowth < HEAP_BOUND_MB && rssGrowth < RSS_BOUND;
  const lines = [
    '',
    '| | after warm-up | end | growth | trend over measured part |',
    '|---|---:|---:|---:|---:|',
    `| RSS (VmRSS) | ${start.rssMb.toFixed(1)} MB | ${end.rssMb.toFixed(1)} MB | ${(rssGrowth * 100).toFixed(1)} % | ${rssSlope.toFixed(2)} MB/min |`,
    `| heap used after full GC | ${start.heapUsedMb.toFixed(1)} MB | ${end.heapUsedMb.toFixed(1)} MB | ${heapGrowth.toFixed(1)} MB | ${heapSlope.toFixed(2)} MB/min |`,
    '',
    `requests: ${total}, 5xx/errors: ${failed}`,
    `verdict: ${flat ? 'FLAT' : 'GROWING'} (bounds: heap after GC +${HEAP_BOUND_MB} MB, RSS +${RSS_BOUND * 100} % from the end of warm-up)`,
  ];
  console.log(lines.join('\n'));
  mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  const file = path.join(ROOT, 'bench/results', `soak-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ rate: RATE, warmupSec: WARMUP_SEC, minutes: MINUTES, samples, heapGrowth, rssGrowth, heapSlope, rssSlope, flat }, null, 2));
  console.log(`figures: ${path.relative(ROOT, file)}`);
  process.exitCode = flat && failed === 0 ? 0 : 1;
}

try {
  await main();
} finally {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
}
