// Standalone StUF simulator (StUF-BG and StUF-ZKN endpoints):
//   node src/simulator/main.ts --port 8100 [--host 127.0.0.1] [--seed 1] [--demo-count 270]
//        [--no-demo] [--snapshot data/sim.json] [--latency 0] [--jitter 0] [--path /StUF/bg0310]
//        [--zkn-path /StUF/zkn0310] [--sectors bg,zkn]
import { parseArgs } from 'node:util';
import { SECTOR_NAMES, type SectorName } from './sectors.ts';
import { startSimulator } from './simulator.ts';

const USAGE = `Usage: node src/simulator/main.ts [options]
  --port <n>          port (default 8100, 0 = any free port)
  --host <addr>       listen address (default 127.0.0.1)
  --seed <n>          seed of the demo data (default 1)
  --demo-count <n>    number of demo klanten (default 270)
  --no-demo           start empty (when no snapshot exists)
  --snapshot <file>   load/save the store in this JSON file
  --latency <ms>      base latency of every answer (default 0)
  --jitter <ms>       random extra latency up to this (default 0)
  --path <path>       StUF-BG SOAP endpoint path (default /StUF/bg0310)
  --zkn-path <path>   StUF-ZKN SOAP endpoint path (default /StUF/zkn0310)
  --sectors <list>    sectors to serve, comma-separated (default bg,zkn)
  --help`;

function sectors(v: string | undefined): SectorName[] {
  if (v === undefined) return [...SECTOR_NAMES];
  const list = v.split(',').map((x) => x.trim());
  for (const x of list) if (!(SECTOR_NAMES as readonly string[]).includes(x)) throw new Error(`--sectors: unknown sector ${x} (${SECTOR_NAMES.join(', ')})`);
  return list as SectorName[];
}

function int(name: string, v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got ${v}`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
      'demo-count': { type: 'string' },
      'no-demo': { type: 'boolean' },
      snapshot: { type: 'string' },
      latency: { type: 'string' },
      jitter: { type: 'string' },
      path: { type: 'string' },
      'zkn-path': { type: 'string' },
      sectors: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const sim = await startSimulator({
    port: int('port', values.port, 8100),
    host: values.host ?? '127.0.0.1',
    seed: int('seed', values.seed, 1),
    demoCount: int('demo-count', values['demo-count'], 270),
    demo: !values['no-demo'],
    ...(values.snapshot ? { snapshotFile: values.snapshot } : {}),
    latencyMs: int('latency', values.latency, 0),
    jitterMs: int('jitter', values.jitter, 0),
    ...(values.path ? { path: values.path } : {}),
    ...(values['zkn-path'] ? { zknPath: values['zkn-path'] } : {}),
    sectors: sectors(values.sectors),
  });
  const o = sim.stats().objects;
  if (sim.urls.bg) console.log(`StUF-BG simulator on ${sim.urls.bg} (WSDL ${sim.urls.bg}?wsdl); ${o.NPS} NPS, ${o.NNP} NNP, ${o.VES} VES`);
  if (sim.urls.zkn) console.log(`StUF-ZKN simulator on ${sim.urls.zkn} (WSDL ${sim.urls.zkn}?wsdl); ${o.CTP} CTP`);
  console.log(`admin ${sim.adminUrl}`);
  const shutdown = (): void => {
    sim.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  // A 'down' fault in refuse mode closes the only listener; the standalone process must outlive it
  // (and come back up when the fault's timer fires) until it is told to stop.
  const keepAlive = setInterval(() => {}, 1 << 30);
  process.once('beforeExit', () => clearInterval(keepAlive));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  console.error(USAGE);
  process.exit(1);
});
