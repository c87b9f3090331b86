// Load with per-request variation and fixed offered rates, from a separate process (rate-worker.ts):
// writes that need a unique body each (POST creates), round-robin over many paths (PUT on a pool
// of klanten), and open-loop runs at a fixed rate for latency-against-offered-load curves.
import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface RateRequest {
  path: string;
  method?: string;
  headers?: Record<string, string>;
  /** May hold {{n}}, {{n36}}, {{bsn}} (see fillTemplate). */
  body?: string;
}

export interface RateSpec {
  /** Origin (path ignored): requests carry their own paths. */
  url: string;
  method?: string;
  headers?: Record<string, string>;
  requests: RateRequest[];
  /** Requests per second, open loop; undefined = closed loop with `connections` in flight. */
  rate?: number;
  connections: number;
  durationSec: number;
  timeoutMs?: number;
  /** First sequence number (keep it rising across runs so generated keys stay unique). */
  seqStart?: number;
  /** Open loop: requests due while this many are in flight are counted as dropped, not sent. */
  maxInFlight?: number;
}

export interface RateResult {
  offered: number | undefined;
  requests: number;
  /** Completed requests per second (any status). */
  rps: number;
  /** Completed with status < 400, per second. */
  okRps: number;
  /** Milliseconds; open loop: from when the request was due. */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
  dropped: number;
  nextSeq: number;
}

/** A 9-digit number passing the 11-proef (BSN/RSIN), unique per n: four candidates per n, one always valid. */
export function elevenProofFor(n: number): string {
  for (let j = 0; j < 4; j++) {
    const head = String(10_000_000 + ((n * 4 + j) % 89_999_999)).padStart(8, '0');
    let sum = 0;
    for (let i = 0; i < 8; i++) sum += Number(head[i]) * (9 - i);
    const check = sum % 11;
    if (check < 10) return head + String(check);
  }
  throw new Error(`no 11-proef number for ${n}`);
}

/** {{n}} → n, {{n36}} → n in base 36, {{bsn}} → elevenProofFor(n). */
export function fillTemplate(template: string, n: number): string {
  if (template.indexOf('{{') === -1) return template;
  return template.replaceAll('{{n}}', String(n)).replaceAll('{{n36}}', n.toString(36)).replaceAll('{{bsn}}', elevenProofFor(n));
}

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'rate-worker.ts');

export function runRate(spec: RateSpec): Promise<RateResult> {
  return new Promise((resolve, reject) => {
    // The spec goes over IPC: a pool of request bodies is too large for argv.
    const child = fork(WORKER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.send(spec);
    child.once('message', (m) => resolve(m as RateResult));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`rate worker exited with ${code}`));
    });
  });
}
