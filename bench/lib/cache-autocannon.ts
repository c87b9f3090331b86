// Child process of cache-load.ts when wrk is not installed: one autocannon run, result over IPC.
import autocannon from 'autocannon';
import type { LoadRun } from './cache-load.ts';

const spec = JSON.parse(process.argv[2] ?? '{}') as LoadRun;
let n = 0;
const result = await autocannon({
  url: spec.url,
  connections: spec.connections,
  duration: spec.seconds,
  headers: spec.headers,
  requests: spec.uniquePrefix
    ? [{ setupRequest: (req) => ({ ...req, headers: { ...req.headers, 'x-forwarded-prefix': `/m${++n}` } }) }]
    : undefined,
});
const notModified = (result.statusCodeStats as Record<string, { count: number }> | undefined)?.['304']?.count ?? 0;
process.send!({
  rps: result.requests.average,
  p50Ms: result.latency.p50,
  p99Ms: result.latency.p99,
  requests: result.requests.total,
  errors: result.errors + result.timeouts + result.non2xx - notModified,
  tool: 'autocannon',
});
