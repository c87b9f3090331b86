// bench:read — the read path's cost over the backend call it makes.
// Simulator, gateway and load generator are three processes on loopback. For each scenario the
// gateway (cache off) is measured next to the very StUF question(s) it sends, posted straight to
// the simulator, in the same run: ratio = gateway / direct.
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

interface Row {
  scenario: string;
  mode: string;
  gateway: LoadResult;
  direct: LoadResult;
}

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
    const detailPath = new URL(list.results[3]!.url).pathname;
    const scenarios: [string, string][] = [
      ['GET /klanten/{uuid}', detailPath],
      ['GET /klanten?subjectType=vestiging', '/api/v1/klanten?subjectType=vestiging'],
    ];
    for (const [name, path] of scenarios) {
      await clearMessages(adminUrl);
      const probe = await fetch(gw.url + path, { headers: auth });
      await probe.arrayBuffer();
      const sent = await lastMessages(adminUrl, 10);
      if (sent.length !== 1) throw new Error(`${name}: expected exactly one StUF question, the gateway sent ${sent.length}`);
      const q = sent[0]!;
      for (const mode of ['latency', 'throughput'] as const) {
        const connections = mode === 'latency' ? 1 : 16;
        const gateway = await runLoad({ mode, url: gw.url + path, headers: auth, connections, durationSec: duration });
        const direct = await runLoad({
          mode,
          url: sim.url,
          method: 'POST',
          headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: q.soapAction ?? '' },
          body: q.xml,
          connections,
          durationSec: duration,
        });
        rows.push({ scenario: `${name} (backend +${latency} ms)`, mode: `${mode} c=${connections}`, gateway, direct });
      }
    }
  } finally {
    await gw.stop();
    await sim.stop();
  }
}

const f = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : '-');
const header = ['scenario', 'load', 'gw req/s', 'gw p50 ms', 'gw p99 ms', 'direct req/s', 'direct p50 ms', 'direct p99 ms', 'p50 ratio', 'req/s ratio', 'errors'];
const table = rows.map((r) => [
  r.scenario,
  r.mode,
  f(r.gateway.rps, 0),
  f(r.gateway.p50),
  f(r.gateway.p99),
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
console.log('\nratio = gateway / direct SOAP to the simulator (same question, same run). Target: p50 ratio ≤ 1.3 for the uncached detail read.');
