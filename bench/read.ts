// bench:read — the read path's cost over the backend call it makes.
// Simulator, gateway and load generator are three processes on loopback. For each scenario the
// gateway (cache off) is measured next to the very StUF question(s) it sends, posted straight to
// the simulator, in the same run: ratio = gateway / direct.
// With the cache off the gateway still coalesces concurrent identical reads (single-flight), so the
// c=16 rows spread their requests: the detail read over every vestiging of the list (direct SOAP
// over the same questions), the list over distinct (ignored) query parameters. The simulator's
// message counter gives the backend messages per gateway request, printed with every row: 1.00
// means every request cost its own backend call.
//   node bench/read.ts [--duration 5] [--latency 0,5]
import { parseArgs } from 'node:util';
import { runLoad, type LoadResult } from './lib/load.ts';
import { startGatewayProcess, startSimulatorProcess } from './lib/proc.ts';

const { values } = parseArgs({ options: { duration: { type: 'string' }, latency: { type: 'string' } } });
const duration = Number(values.duration ?? 5);
const latencies = (values.latency ?? '0,5').split(',').map(Number);

interface Recorded {
  element: string;
  soapAction?: string;
  xml: string;
}

async function lastMessages(adminUrl: string, n: number): Promise<Recorded[]> {
  const res = await fetch(`${adminUrl}/__admin/messages`);
  const body = (await res.json()) as { messages?: Recorded[] } | Recorded[];
  const list = Array.isArray(body) ? body : (body.messages ?? []);
  return list.slice(-n);
}

async function clearMessages(adminUrl: string): Promise<void> {
  await fetch(`${adminUrl}/__admin/reset`, { method: 'POST' });
}

/** Messages the simulator received so far. */
async function messageCount(adminUrl: string): Promise<number> {
  const stats = (await (await fetch(`${adminUrl}/__admin/stats`)).json()) as { requests: { total: number } };
  return stats.requests.total;
}

/** The one StUF question the gateway sends for `path` (its XML and SOAPAction). */
async function questionFor(gwUrl: string, path: string, auth: Record<string, string>, adminUrl: string, name: string): Promise<Recorded> {
  await clearMessages(adminUrl);
  const probe = await fetch(gwUrl + path, { headers: auth });
  await probe.arrayBuffer();
  const sent = await lastMessages(adminUrl, 10);
  if (sent.length !== 1) throw new Error(`${name}: expected exactly one StUF question, the gateway sent ${sent.length}`);
  return sent[0]!;
}

interface Scenario {
  name: string;
  /** The request of the c=1 rows. */
  path: string;
  /** What the c=16 rows cycle through: gateway paths, and direct SOAP bodies (undefined = the one question of `path`). */
  spread: { gateway: string[]; direct?: string[] };
}

interface Row {
  scenario: string;
  mode: string;
  gateway: LoadResult;
  direct: LoadResult;
  /** Backend messages per gateway request (simulator counter over the gateway run). */
  messagesPerRequest: number;
}

const SPREAD = 64;

const rows: Row[] = [];
for (const latency of latencies) {
  const sim = await startSimulatorProcess(['--latency', String(latency)]);
  const adminUrl = new URL(sim.url).origin;
  const gw = await startGatewayProcess({
    KLANTBRUG_BACKEND__KIND: 'stuf',
    KLANTBRUG_BACKEND__ENDPOINT: sim.url,
    KLANTBRUG_CACHE__TTLSECONDS: '0',
    KLANTBRUG_RATELIMIT__PERCLIENTPERMINUTE: '0',
  });
  try {
    const auth = { authorization: `Bearer ${gw.token}` };
    const list = (await (await fetch(`${gw.url}/api/v1/klanten?subjectType=vestiging`, { headers: auth })).json()) as {
      results: { url: string }[];
    };
    const detailPaths = list.results.map((r) => new URL(r.url).pathname);
    const detailPath = detailPaths[3]!;
    const spreadPaths = detailPaths.slice(0, SPREAD);
    const spreadXml: string[] = [];
    for (const p of spreadPaths) spreadXml.push((await questionFor(gw.url, p, auth, adminUrl, 'GET /klanten/{uuid}')).xml);
    const listPath = '/api/v1/klanten?subjectType=vestiging';
    const scenarios: Scenario[] = [
      { name: 'GET /klanten/{uuid}', path: detailPath, spread: { gateway: spreadPaths, direct: spreadXml } },
      {
        name: 'GET /klanten?subjectType=vestiging',
        path: listPath,
        spread: { gateway: Array.from({ length: SPREAD }, (_, i) => `${listPath}&bench=${i}`) },
      },
    ];
    for (const { name, path, spread } of scenarios) {
      const q = await questionFor(gw.url, path, auth, adminUrl, name);
      for (const mode of ['latency', 'throughput'] as const) {
        const connections = mode === 'latency' ? 1 : 16;
        const spreadOut = mode === 'throughput';
        const before = await messageCount(adminUrl);
        const gateway = await runLoad({
          mode,
          url: gw.url + path,
          headers: auth,
          connections,
          durationSec: duration,
          ...(spreadOut ? { targets: spread.gateway.map((p) => ({ path: p })) } : {}),
        });
        const messagesPerRequest = ((await messageCount(adminUrl)) - before) / gateway.requests;
        const direct = await runLoad({
          mode,
          url: sim.url,
          method: 'POST',
          headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: q.soapAction ?? '' },
          body: q.xml,
          connections,
          durationSec: duration,
          ...(spreadOut && spread.direct ? { targets: spread.direct.map((xml) => ({ path: new URL(sim.url).pathname, body: xml })) } : {}),
        });
        const load = `${mode} c=${connections}${spreadOut ? ` ×${spread.gateway.length}` : ''}`;
        rows.push({ scenario: `${name} (backend +${latency} ms)`, mode: load, gateway, direct, messagesPerRequest });
      }
    }
  } finally {
    await gw.stop();
    await sim.stop();
  }
}

const f = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : '-');
const header = ['scenario', 'load', 'gw req/s', 'gw p50 ms', 'gw p99 ms', 'gw msgs/req', 'direct req/s', 'direct p50 ms', 'direct p99 ms', 'p50 ratio', 'req/s ratio', 'errors'];
const table = rows.map((r) => [
  r.scenario,
  r.mode,
  f(r.gateway.rps, 0),
  f(r.gateway.p50),
  f(r.gateway.p99),
  f(r.messagesPerRequest),
  f(r.direct.rps, 0),
  f(r.direct.p50),
  f(r.direct.p99),
  f(r.gateway.p50 / r.direct.p50),
  f(r.gateway.rps / r.direct.rps),
  String(r.gateway.errors + r.gateway.non2xx + r.direct.errors + r.direct.non2xx),
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
for (const row of table) console.log(line(row));
console.log(
  [
    '',
    'ratio = gateway / direct SOAP to the simulator (same question(s), same run). Target: p50 ratio ≤ 1.3 for the uncached detail read.',
    'c=1: one klant, back to back. c=16 ×N: requests taken in turn from N different targets (detail: N vestigingen, direct SOAP',
    '  cycling their N questions; list: the same list with N distinct ignored query parameters), because the gateway coalesces',
    '  concurrent identical reads into one backend call (single-flight) even with the cache off.',
    'gw msgs/req = StUF messages the simulator received per gateway request (1.00: no coalescing; below 1: requests shared calls).',
  ].join('\n'),
);
