// Runs autocannon in a child process (so the load generator does not share the event loop or CPU
// accounting with what it measures) and returns req/s and latency percentiles.
import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface LoadSpec {
  /** 'latency': one connection, back to back, µs-resolution percentiles; 'throughput': autocannon. */
  mode: 'latency' | 'throughput';
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  durationSec: number;
  /** Fixed request rate (req/s over all connections); undefined = as fast as possible. */
  overallRate?: number;
  /**
   * Request targets taken in turn by all connections together (path and, when given, body replace
   * those of `url`/`body`): concurrent requests then ask for different things, so a server that
   * coalesces identical requests (single-flight) cannot answer several with one backend call.
   */
  targets?: { path: string; body?: string }[];
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  errors: number;
  non2xx: number;
}

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'load-worker.ts');

export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    // The spec goes over IPC: with many targets it outgrows what one command-line argument may hold.
    const child = fork(WORKER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.send(spec);
    child.once('message', (m) => resolve(m as LoadResult));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`load worker exited with ${code}`));
    });
  });
}
