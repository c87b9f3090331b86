// npm run bench — the project's benchmarks in one run and one table: reads (uncached detail and
// list, against the same StUF question posted straight to the backend), the representation cache
// (hit, 304, against a bare node:http server sending the same bytes and nginx proxy_cache), writes
// (POST and PUT, against the Lk01 posted straight to the backend), then a latency-against-offered-
// load sweep (open loop, fixed rates) of the cache-hit and the uncached detail read, drawn as SVG.
//
// Every party is its own process on loopback: simulator, redis-server, two gateways (src/main.ts:
// cache with Redis; cache off), the bare server, nginx, and the load generator (wrk for the
// high-rate GET rows, else an undici worker). Ratios compare rows measured in this same run with
// the same load tool. Figures go to bench/results/bench-<time>.json (+ latest.json) and
// bench/results/latency-vs-load.svg.
//
//   npm run bench [-- --seconds 4] [--quick] [--no-sweep]
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { HAVE_WRK, load } from './lib/cache-load.ts';
import { forkReady, installed, startNginx, startRedis, type Spawned } from './lib/cache-procs.ts';
import { runLoad } from './lib/load.ts';
import { ROOT, startGatewayProcess, startSimulatorProcess } from './lib/proc.ts';
import { fillTemplate, runRate, type RateRequest } from './lib/rate.ts';
import { panels, type ChartSpec } from './lib/svg-chart.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string' }, quick: { type: 'boolean' }, 'no-sweep': { type: 'boolean' } } });
const QUICK = values.quick ?? false;
const SECONDS = Number(values.seconds ?? (QUICK ? 2 : 3));
const WARMUP = 1;
const SWEEP_SECONDS = QUICK ? 1 : 1.5;
/** Sweep: start at this share of the closed-loop maximum, step ×1.4 until saturated twice. */
const SWEEP_START = 0.2;
const SWEEP_FACTOR = 1.4;
const SWEEP_MAX_STEPS = 12;
const RESULTS = path.join(ROOT, 'bench/results');

interface Row {
  group: string;
  scenario: string;
  tool: string;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** Name of the row this one is compared with (same run, same tool). */
  baseline?: string;
  /** StUF messages the backend received per request (writes, uncached reads). */
  stufPerRequest?: number;
  note?: string;
}

interface SweepPoint {
  offered: number;
  achieved: number;
  p50: number;
  p90: number;
  p99: number;
  errors: number;
  dropped: number;
}

const rows: Row[] = [];
const notes: string[] = [];
const stops: (() => Promise<void>)[] = [];
const startedAt = new Date();

async function main(): Promise<void> {
  const t0 = performance.now();
  // ---- processes -------------------------------------------------------------------------------
  const sim = await startSimulatorProcess();
  stops.push(sim.stop);
  const admin = new URL(sim.url).origin;
  let redis: Spawned | undefined;
  if (installed('redis-server', '--version')) {
    redis = await startRedis();
    stops.push(redis.stop);
  } else notes.push('redis-server not installed: the cached gateway runs with its in-process tier only.');
  const common = { KLANTBRUG_BACKEND__KIND: 'stuf', KLANTBRUG_BACKEND__ENDPOINT: sim.url, KLANTBRUG_RATELIMIT__PERCLIENTPERMINUTE: '0' };
  const cached = await startGatewayProcess({ ...common, ...(redis ? { REDIS_URL: redis.url } : {}) });
  stops.push(cached.stop);
  const uncached = await startGatewayProcess({ ...common, KLANTBRUG_CACHE__TTLSECONDS: '0' });
  stops.push(uncached.stop);
  const auth = { authorization: `Bearer ${cached.token}` };
  const authU = { authorization: `Bearer ${uncached.token}` };

  // ---- sample requests and the StUF questions behind them ------------------------------------------
  const list = (await (await fetch(`${cached.url}/api/v1/klanten?subjectType=natuurlijk_persoon`, { headers: auth })).json()) as { results: { url: string }[] };
  const detail = new URL(list.results[10]!.url).pathname;
  const listPath = '/api/v1/klanten?subjectType=vestiging';
  const sample = await fetch(cached.url + detail, { headers: auth });
  const body = Buffer.from(await sample.arrayBuffer());
  const etag = sample.headers.get('etag') ?? '';
  const sampleHeaders: string[] = [];
  sample.headers.forEach((v, k) => {
    if (!['date', 'connection', 'keep-alive', 'transfer-encoding'].includes(k)) sampleHeaders.push(k, v);
  });
  const detailQuestion = await questionsFor(admin, uncached.url + detail, authU);
  const listQuestions = await questionsFor(admin, uncached.url + listPath, authU);

  // ---- cache: hit / 304 against bare node:http and nginx (wrk when installed) ---------------------------
  const bare = await forkReady<{ port: number }>('bench/lib/cache-bare.ts', { body: body.toString('base64'), headers: sampleHeaders });
  stops.push(bare.stop);
  const bareUrl = `http://127.0.0.1:${bare.ready.port}`;
  const tool = HAVE_WRK ? 'wrk' : 'autocannon';
  const wrkRow = async (group: string, scenario: string, url: string, headers: Record<string, string>, baseline?: string, note?: string) => {
    await load({ url, headers, seconds: WARMUP, connections: 32 });
    const r = await load({ url, headers, seconds: SECONDS, connections: 32 });
    rows.push({ group, scenario, tool, connections: 32, rps: r.rps, p50: r.p50Ms, p99: r.p99Ms, errors: r.errors, baseline, note });
  };
  await wrkRow('baseline', 'bare node:http, same bytes', bareUrl + detail, auth);
  if (installed('nginx', '-v')) {
    const nginx = await startNginx(bare.ready.port);
    stops.push(nginx.stop);
    await fetch(nginx.url + detail, { headers: auth }).then((r) => r.arrayBuffer());
    await wrkRow('baseline', 'nginx proxy_cache hit', nginx.url + detail, auth);
  } else notes.push('nginx not installed (apt-get install -y nginx-light): no proxy_cache baseline.');
  const nginxName = rows.some((r) => r.scenario === 'nginx proxy_cache hit') ? 'nginx proxy_cache hit' : 'bare node:http, same bytes';
  await wrkRow('cache', 'gateway hit GET /klanten/{uuid}', cached.url + detail, auth, nginxName);
  await wrkRow('cache', 'gateway 304 (If-None-Match)', cached.url + detail, { ...auth, 'if-none-match': etag }, nginxName);
  await wrkRow('cache', 'gateway hit GET /klanten?subjectType=vestiging', cached.url + listPath, auth, nginxName);

  // ---- reads without cache: gateway vs the same StUF question straight to the backend (undici worker) ----
  // Every request gets its own X-Forwarded-Prefix (trusted from loopback): a different representation,
  // so single-flight cannot merge concurrent identical requests into one backend call.
  const unique = { ...authU, 'x-forwarded-prefix': '/u{{n}}' };
  await closedRow('read', 'direct SOAP: detail question (npsLv01)', sim.url, soapRequests(detailQuestion), 16, undefined, admin);
  await closedRow('read', 'gateway uncached GET /klanten/{uuid}', uncached.url, [{ path: detail, headers: unique }], 16, 'direct SOAP: detail question (npsLv01)', admin, 'unique X-Forwarded-Prefix: no coalescing');
  await closedRow('read', `direct SOAP: list question${listQuestions.length > 1 ? 's' : ''} (vesLv01)`, sim.url, soapRequests(listQuestions), 16, undefined, admin);
  const listDirectName = rows.at(-1)!.scenario;
  if (listQuestions.length > 1) rows.at(-1)!.note = `${listQuestions.length} questions round-robin; the gateway sends them all per request`;
  await closedRow('read', 'gateway uncached GET /klanten?subjectType=vestiging', uncached.url, [{ path: listPath, headers: unique }], 16, listDirectName, admin, 'unique X-Forwarded-Prefix: no coalescing');

  // ---- single-connection latency (µs resolution): what one consumer sees ----------------------------
  for (const [scenario, url, headers, method, reqBody, baseline] of [
    ['latency c=1: direct SOAP detail question', sim.url, soapHeaders(detailQuestion[0]!), 'POST', detailQuestion[0]!.xml, undefined],
    ['latency c=1: gateway uncached detail', uncached.url + detail, authU, 'GET', undefined, 'latency c=1: direct SOAP detail question'],
    ['latency c=1: bare node:http', bareUrl + detail, auth, 'GET', undefined, undefined],
    ['latency c=1: gateway cache hit', cached.url + detail, auth, 'GET', undefined, 'latency c=1: bare node:http'],
  ] as const) {
    await runLoad({ mode: 'latency', url, headers, method, body: reqBody, connections: 1, durationSec: WARMUP });
    const r = await runLoad({ mode: 'latency', url, headers, method, body: reqBody, connections: 1, durationSec: Math.min(3, SECONDS) });
    rows.push({ group: 'latency', scenario, tool: 'undici', connections: 1, rps: r.rps, p50: r.p50, p99: r.p99, errors: r.errors + r.non2xx, baseline });
  }

  // The same with a backend that takes 5 ms per answer (a realistic floor for a StUF system).
  await fetch(`${admin}/__admin/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'latency', ms: 5 }) });
  for (const [scenario, url, headers, method, reqBody, baseline] of [
    ['latency c=1, backend +5 ms: direct SOAP detail question', sim.url, soapHeaders(detailQuestion[0]!), 'POST', detailQuestion[0]!.xml, undefined],
    ['latency c=1, backend +5 ms: gateway uncached detail', uncached.url + detail, authU, 'GET', undefined, 'latency c=1, backend +5 ms: direct SOAP detail question'],
  ] as const) {
    const r = await runLoad({ mode: 'latency', url, headers, method, body: reqBody, connections: 1, durationSec: Math.min(3, SECONDS) });
    rows.push({ group: 'latency', scenario, tool: 'undici', connections: 1, rps: r.rps, p50: r.p50, p99: r.p99, errors: r.errors + r.non2xx, baseline });
  }
  await fetch(`${admin}/__admin/faults`, { method: 'DELETE' });

  // ---- writes: POST and PUT against the Lk01 straight to the backend -------------------------------------
  await writeRows(cached.url, auth, sim.url, admin);

  // ---- latency against offered load -------------------------------------------------------------------
  let sweep: Record<string, SweepPoint[]> = {};
  if (!values['no-sweep']) sweep = await sweepRows(cached.url + detail, auth, uncached.url + detail, unique);

  const elapsed = (performance.now() - t0) / 1000;
  report(sweep, body.length, elapsed);
}

// -------------------------------------------------------------------------------------------------------

interface Question {
  element: string;
  soapAction?: string;
  xml: string;
}

/** The StUF messages the gateway sent the backend for one request (simulator admin log). */
async function questionsFor(admin: string, url: string, headers: Record<string, string>): Promise<Question[]> {
  const before = await messageSeq(admin);
  const r = await fetch(url, { headers });
  await r.arrayBuffer();
  if (r.status !== 200) throw new Error(`${url}: ${r.status}`);
  const all = (await (await fetch(`${admin}/__admin/messages`)).json()) as (Question & { seq: number })[];
  const sent = all.filter((m) => m.seq > before);
  if (sent.length === 0) throw new Error(`${url}: the gateway sent no StUF message (cached?)`);
  return sent;
}

async function messageSeq(admin: string): Promise<number> {
  const all = (await (await fetch(`${admin}/__admin/messages`)).json()) as { seq: number }[];
  return all.at(-1)?.seq ?? 0;
}

async function stufTotal(admin: string): Promise<number> {
  return ((await (await fetch(`${admin}/__admin/stats`)).json()) as { requests: { total: number } }).requests.total;
}

const soapHeaders = (q: Question) => ({ 'content-type': 'text/xml; charset=utf-8', soapaction: q.soapAction ?? '' });
const soapRequests = (qs: Question[]): RateRequest[] => qs.map((q) => ({ path: '/StUF/bg0310', method: 'POST', headers: soapHeaders(q), body: q.xml }));

let seq = 1_000_000; // generated BSNs / klantnummers stay unique across runs of one simulator

/** A closed-loop row with the undici worker (warm-up first); counts StUF messages per request. */
async function closedRow(group: string, scenario: string, origin: string, requests: RateRequest[], connections: number, baseline: string | undefined, admin: string, note?: string): Promise<void> {
  const warm = await runRate({ url: origin, requests, connections, durationSec: WARMUP, seqStart: seq });
  seq = warm.nextSeq;
  const before = await stufTotal(admin);
  const r = await runRate({ url: origin, requests, connections, durationSec: SECONDS, seqStart: seq });
  seq = r.nextSeq;
  const stuf = (await stufTotal(admin)) - before;
  const failed = r.errors + r.timeouts + Object.entries(r.statuses).reduce((s, [c, n]) => s + (Number(c) >= 400 ? n : 0), 0);
  const row: Row = { group, scenario, tool: 'undici', connections, rps: r.rps, p50: r.p50, p99: r.p99, errors: failed, baseline, note };
  if (!origin.includes('/StUF/') && r.requests > 0) row.stufPerRequest = stuf / r.requests;
  rows.push(row);
}

const NPS_BODY = {
  bronorganisatie: '002220647',
  klantnummer: 'G{{n36}}',
  websiteUrl: 'https://www.example.nl/bench',
  voornaam: 'Bench',
  achternaam: 'Mark',
  telefoonnummer: '0612345678',
  emailadres: 'bench@example.nl',
  functie: 'inwoner',
  adres: { straatnaam: 'Kerkstraat', huisnummer: 12, huisletter: 'a', huisnummertoevoeging: '', postcode: '3511AB', woonplaatsnaam: 'Utrecht', landcode: 'NL' },
  subjectType: 'natuurlijk_persoon',
  subjectIdentificatie: {
    inpBsn: '{{bsn}}',
    geslachtsnaam: 'Mark',
    voorvoegselGeslachtsnaam: '',
    voorletters: 'B',
    voornamen: 'Bench',
    geslachtsaanduiding: 'v',
    geboortedatum: '1980-02-03',
  },
};

async function writeRows(gw: string, auth: Record<string, string>, simUrl: string, admin: string): Promise<void> {
  const json = { ...auth, 'content-type': 'application/json' };
  const create: RateRequest[] = [{ path: '/api/v1/klanten', method: 'POST', headers: json, body: JSON.stringify(NPS_BODY) }];

  // The T kennisgeving the gateway sends for one create, made into a template (unique BSN/klantnummer).
  const n = seq++;
  const before = await messageSeq(admin);
  const probe = await fetch(`${gw}/api/v1/klanten`, { method: 'POST', headers: json, body: fillTemplate(JSON.stringify(NPS_BODY), n) });
  if (probe.status !== 201) throw new Error(`POST /klanten answered ${probe.status}: ${await probe.text()}`);
  const all = (await (await fetch(`${admin}/__admin/messages`)).json()) as (Question & { seq: number })[];
  const t = all.find((m) => m.seq > before && m.element === 'npsLk01');
  if (!t) throw new Error('no npsLk01 seen for a create');
  const lk01 = t.xml.replaceAll(fillTemplate('{{bsn}}', n), '{{bsn}}').replaceAll(fillTemplate('G{{n36}}', n), 'D{{n36}}');

  await closedRow('write', 'direct SOAP: T kennisgeving (npsLk01)', simUrl, [{ path: '/StUF/bg0310', method: 'POST', headers: soapHeaders(t), body: lk01 }], 8, undefined, admin);
  await closedRow('write', 'gateway POST /klanten', gw, create, 8, 'direct SOAP: T kennisgeving (npsLk01)', admin, 'each its own BSN + klantnummer');

  // A pool of klanten to update, one PUT each in turn (no two connections on one klant).
  const pool: RateRequest[] = [];
  for (let i = 0; i < 200; i++) {
    const k = seq++;
    const b = JSON.parse(fillTemplate(JSON.stringify(NPS_BODY), k)) as typeof NPS_BODY;
    const r = await fetch(`${gw}/api/v1/klanten`, { method: 'POST', headers: json, body: JSON.stringify(b) });
    const created = (await r.json()) as { url: string };
    pool.push({ path: new URL(created.url).pathname, method: 'PUT', headers: json, body: JSON.stringify({ ...b, telefoonnummer: '06{{n}}' }) });
  }
  await closedRow('write', 'gateway PUT /klanten/{uuid}', gw, pool, 8, 'direct SOAP: T kennisgeving (npsLk01)', admin, 'round-robin over 200 klanten');
}

async function sweepRows(hitUrl: string, auth: Record<string, string>, missUrl: string, missHeaders: Record<string, string>): Promise<Record<string, SweepPoint[]>> {
  const out: Record<string, SweepPoint[]> = {};
  for (const [name, url, headers, maxRow] of [
    ['cache hit GET /klanten/{uuid}', hitUrl, auth, 'gateway hit GET /klanten/{uuid}'],
    ['uncached GET /klanten/{uuid}', missUrl, missHeaders, 'gateway uncached GET /klanten/{uuid}'],
  ] as const) {
    const u = new URL(url);
    let rate = Math.max(20, Math.round((rows.find((r) => r.scenario === maxRow)?.rps ?? 500) * SWEEP_START));
    const points: SweepPoint[] = [];
    let saturated = 0;
    for (let step = 0; step < SWEEP_MAX_STEPS && saturated < 2; step++) {
      // Best of two runs per rate (lower p99): this machine is shared, and one burst of another
      // process would otherwise put a spike in the curve that is not the gateway's.
      const runs = [];
      for (let i = 0; i < 2; i++) {
        runs.push(await runRate({ url: u.origin, requests: [{ path: u.pathname, headers }], rate, connections: 64, durationSec: SWEEP_SECONDS, timeoutMs: 10_000, seqStart: seq }));
        seq = runs.at(-1)!.nextSeq;
      }
      const r = runs.reduce((a, b) => (b.p99 < a.p99 ? b : a));
      const failed = r.errors + r.timeouts + Object.entries(r.statuses).reduce((s, [c, k]) => s + (Number(c) >= 400 ? k : 0), 0);
      points.push({ offered: rate, achieved: r.rps, p50: r.p50, p90: r.p90, p99: r.p99, errors: failed, dropped: r.dropped });
      if (r.rps < 0.9 * rate || r.p99 > 1_000) saturated++;
      rate = Math.round(rate * SWEEP_FACTOR);
    }
    out[name] = points;
  }
  return out;
}

// -------------------------------------------------------------------------------------------------------

const f = (n: number | undefined, d = 2) => (n === undefined || !Number.isFinite(n) ? '-' : n.toFixed(d));
const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en') : '-');

function report(sweep: Record<string, SweepPoint[]>, bytes: number, elapsed: number): void {
  const byName = new Map(rows.map((r) => [r.scenario, r]));
  const lines = [
    `klantbrug benchmarks — ${startedAt.toISOString()}, Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), loopback, ${SECONDS} s per row after ${WARMUP} s warm-up; detail body ${bytes} B`,
    '',
    '| group | scenario | tool, conns | req/s | p50 ms | p99 ms | errors | StUF/req | vs baseline | × req/s | × p50 | note |',
    '|---|---|---|---:|---:|---:|---:|---:|---|---:|---:|---|',
  ];
  for (const r of rows) {
    const b = r.baseline ? byName.get(r.baseline) : undefined;
    lines.push(
      `| ${r.group} | ${r.scenario} | ${r.tool} c=${r.connections} | ${int(r.rps)} | ${f(r.p50)} | ${f(r.p99)} | ${r.errors} | ${f(r.stufPerRequest, 1)} | ${b ? b.scenario : ''} | ${b ? f(r.rps / b.rps) : ''} | ${b ? f(r.p50 / b.p50) : ''} | ${r.note ?? ''} |`,
    );
  }
  for (const [name, points] of Object.entries(sweep)) {
    lines.push('', `latency against offered load (open loop, best of 2 × ${SWEEP_SECONDS} s per rate, latency from the time each request was due): ${name}`, '');
    lines.push('| offered req/s | achieved req/s | p50 ms | p90 ms | p99 ms | errors | dropped |', '|---:|---:|---:|---:|---:|---:|---:|');
    for (const p of points) lines.push(`| ${int(p.offered)} | ${int(p.achieved)} | ${f(p.p50)} | ${f(p.p90)} | ${f(p.p99)} | ${p.errors} | ${p.dropped} |`);
  }
  const hit = byName.get('gateway hit GET /klanten/{uuid}');
  const nginx = byName.get('nginx proxy_cache hit');
  const lat = byName.get('latency c=1, backend +5 ms: gateway uncached detail');
  const latDirect = byName.get('latency c=1, backend +5 ms: direct SOAP detail question');
  lines.push('');
  if (hit && nginx) lines.push(`target: cache hit ≥ 0.50 × nginx proxy_cache — ${f(hit.rps / nginx.rps)} ×`);
  if (lat && latDirect) lines.push(`target (bench:read): uncached detail p50 ≤ 1.3 × direct SOAP, backend +5 ms, c=1 — ${f(lat.p50 / latDirect.p50)} ×`);
  if (os.cpus().length <= 2) notes.push(`only ${os.cpus().length} CPUs: load generator, gateway, simulator, Redis and nginx share them, so absolute figures are low and ratios conservative.`);
  for (const n of notes) lines.push(`note: ${n}`);

  mkdirSync(RESULTS, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const data = { startedAt: startedAt.toISOString(), elapsedSec: elapsed, node: process.version, cpus: os.cpus().length, secondsPerRow: SECONDS, rows, sweep, notes };
  writeFileSync(path.join(RESULTS, `bench-${stamp}.json`), JSON.stringify(data, null, 2));
  writeFileSync(path.join(RESULTS, 'latest.json'), JSON.stringify(data, null, 2));
  const specs: ChartSpec[] = Object.entries(sweep).map(([name, points]) => ({
    title: name,
    subtitle: `open loop, best of 2 × ${SWEEP_SECONDS} s per rate; latency from when each request was due`,
    xLabel: 'offered load (req/s)',
    yLabel: 'latency (ms, log scale)',
    width: 640,
    height: 460,
    series: [
      { name: 'p50', color: '#1f77b4', points: points.map((p): [number, number] => [p.offered, p.p50]) },
      { name: 'p99', color: '#d62728', points: points.map((p): [number, number] => [p.offered, p.p99]) },
      { name: 'p90', color: '#ff7f0e', dashed: true, points: points.map((p): [number, number] => [p.offered, p.p90]) },
    ],
  }));
  if (specs.length > 0) {
    const title = `klantbrug: latency against offered load — ${startedAt.toISOString().slice(0, 16)}, ${os.cpus().length} CPUs shared by load generator and servers`;
    writeFileSync(path.join(RESULTS, 'latency-vs-load.svg'), panels(title, specs));
    lines.push(`chart: bench/results/latency-vs-load.svg`);
  }
  lines.push(`figures: bench/results/bench-${stamp}.json (and latest.json); total ${elapsed.toFixed(0)} s`);
  process.stdout.write(lines.join('\n') + '\n');
}

try {
  await main();
} finally {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
}
