// Load for bench/cache.ts from a separate process: wrk when installed (C, low overhead: the
// generator must not be the bottleneck when measuring nginx-class servers), else autocannon.
// Results: req/s and p50/p99 latency in milliseconds.
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, installed } from './cache-procs.ts';

export interface LoadRun {
  url: string;
  headers: Record<string, string>;
  seconds: number;
  connections: number;
  /** Give every request its own X-Forwarded-Prefix value (`/m<n>`): each one a cache miss. */
  uniquePrefix?: boolean;
}

export interface LoadOutcome {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Socket errors, timeouts and HTTP statuses ≥ 400. */
  errors: number;
  tool: 'wrk' | 'autocannon';
}

export const HAVE_WRK = installed('wrk', '--version');

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} exited ${code}: ${err}${out}`))));
  });
}

const luaString = (s: string) => JSON.stringify(s); // JSON string escapes are valid Lua escapes for ASCII

function wrkScript(run: LoadRun): string {
  const headers = Object.entries(run.headers)
    .map(([k, v]) => `[${luaString(k)}] = ${luaString(v)}`)
    .join(', ');
  return `
local n = 0
local base = { ${headers} }
wrk.headers = base
${
  run.uniquePrefix
    ? `request = function()
  n = n + 1
  local h = {}
  for k, v in pairs(base) do h[k] = v end
  h["X-Forwarded-Prefix"] = "/m" .. n
  return wrk.format(nil, nil, h)
end`
    : ''
}
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('RESULT {"requests":%d,"us":%d,"errors":%d,"p50":%d,"p99":%d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout + e.status,
    latency:percentile(50), latency:percentile(99)))
end
`;
}

async function wrk(spec: LoadRun): Promise<LoadOutcome> {
  const dir = mkdtempSync(path.join(tmpdir(), 'klantbrug-wrk-'));
  const script = path.join(dir, 'bench.lua');
  writeFileSync(script, wrkScript(spec));
  const out = await run('wrk', ['-t1', `-c${spec.connections}`, `-d${spec.seconds}s`, '--timeout', '5s', '-s', script, spec.url]);
  const m = /RESULT (\{.*\})/.exec(out);
  if (!m) throw new Error(`wrk printed no result:\n${out}`);
  const r = JSON.parse(m[1]!) as { requests: number; us: number; errors: number; p50: number; p99: number };
  return { rps: r.requests / (r.us / 1e6), p50Ms: r.p50 / 1000, p99Ms: r.p99 / 1000, requests: r.requests, errors: r.errors, tool: 'wrk' };
}

function autocannon(spec: LoadRun): Promise<LoadOutcome> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(ROOT, 'bench/lib/cache-autocannon.ts'), [JSON.stringify(spec)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (m) => resolve(m as LoadOutcome));
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`autocannon worker exited with ${code}`));
    });
  });
}

export function load(spec: LoadRun): Promise<LoadOutcome> {
  return HAVE_WRK ? wrk(spec) : autocannon(spec);
}
