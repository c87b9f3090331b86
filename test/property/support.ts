// Shared pieces of the property-based (fast-check) tests: a bounded raw HTTP client (node:http, so
// header values and paths reach the gateway as generated, not normalised by fetch), the "clean
// answer" assertion every hostile request must pass, and a case counter the suites print.
import http from 'node:http';
import { expect } from 'vitest';

/** Any single request taking longer than this counts as a hang. */
export const REQUEST_TIMEOUT_MS = 5_000;

/** Multiplies every numRuns (PROPERTY_RUNS=10 for a long local run). */
export const RUNS_FACTOR = Number(process.env.PROPERTY_RUNS ?? 1);

export function runs(n: number): number {
  return Math.max(1, Math.round(n * RUNS_FACTOR));
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;

  body: any;
  ms: number;
}

export interface RawRequest {
  method?: string;
  /** Sent as is in the request line (must be valid for node:http: no spaces or control characters). */
  path: string;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
  /** Local address to connect from (e.g. 127.0.0.2 to be a different peer). */
  localAddress?: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

/** One request, bounded by REQUEST_TIMEOUT_MS (rejects with a 'hang' error past it). */
export function rawRequest(base: string, req: RawRequest): Promise<RawResponse> {
  const url = new URL(base);
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const r = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: req.method ?? 'GET',
        path: req.path,
        headers: req.headers,
        agent: req.localAddress ? undefined : agent,
        localAddress: req.localAddress,
        // Header names/values are checked by node:http itself; what it refuses cannot be sent.
        insecureHTTPParser: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown;
          if (text && /json/.test(String(res.headers['content-type']))) {
            try {
              body = JSON.parse(text);
            } catch {
              body = Symbol.for('unparseable-json');
            }
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body, ms: performance.now() - t0 });
        });
      },
    );
    const timer = setTimeout(() => {
      r.destroy(new Error(`hang: ${req.method ?? 'GET'} ${req.path.slice(0, 200)} took over ${REQUEST_TIMEOUT_MS} ms`));
    }, REQUEST_TIMEOUT_MS);
    r.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    r.end(req.body);
  });
}

/**
 * What every answer to a hostile request must look like: no 500 (nor any status outside
 * `allowed`), API-version set, and for an error a VNG problem body (Fout / ValidatieFout).
 */
export function expectClean(r: RawResponse, allowed: readonly number[], what: string): void {
  const ctx = `${what} → ${r.status} ${r.text.slice(0, 300)}`;
  expect(r.status, ctx).not.toBe(500);
  expect(allowed, ctx).toContain(r.status);
  expect(r.headers['api-version'], ctx).toBe('1.0.0');
  if (r.status >= 400) expectProblem(r, ctx);
}

export function expectProblem(r: RawResponse, ctx: string): void {
  expect(String(r.headers['content-type']), ctx).toContain('application/problem+json');
  const b = r.body;
  expect(typeof b, ctx).toBe('object');
  expect(b.status, ctx).toBe(r.status);
  for (const key of ['type', 'code', 'title', 'detail', 'instance']) {
    expect(typeof b[key], `${ctx} (${key})`).toBe('string');
    expect(b[key].length, `${ctx} (${key})`).toBeGreaterThan(0);
  }
  expect(b.instance, ctx).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
  if (r.status === 400) expect(Array.isArray(b.invalidParams), ctx).toBe(true);
  // Nothing of a stack trace or raw XML leaks into a problem.
  const { detail, ...rest } = b as Record<string, unknown>;
  expect(JSON.stringify(rest) + String(detail), ctx).not.toMatch(/at [\w.<>]+ \(.*:\d+:\d+\)/);
  expect(JSON.stringify(rest), ctx).not.toMatch(/<\?xml|xmlns/);
  // The project's rule (test/integration/backend-faults.test.ts): no backend markup in the detail.
  if (r.status >= 502) expect(String(detail), 'backend markup quoted in problem detail').not.toMatch(/<[!?a-zA-Z]|xmlns/);
  else expect(String(detail), ctx).not.toMatch(/<\?xml|xmlns/);
}

/**
 * Deviations this suite found and reported, tolerated (counted, printed) until their owners fix
 * them, so the default test run stays green. Remove an entry's call once it is fixed.
 */
export const findings = new Map<string, { count: number; example: string }>();

export function knownFinding(name: string, example: string): void {
  const f = findings.get(name);
  if (f) f.count++;
  else findings.set(name, { count: 1, example: example.slice(0, 200) });
}

/** Counts generated cases per property and prints them once a suite is done. */
export class CaseCounter {
  private readonly counts = new Map<string, number>();
  private readonly notes = new Map<string, number>();
  private readonly suite: string;

  constructor(suite: string) {
    this.suite = suite;
  }

  hit(property: string): void {
    this.counts.set(property, (this.counts.get(property) ?? 0) + 1);
  }

  /** A sub-count of cases already counted (printed, not added to the total). */
  note(what: string): void {
    this.notes.set(what, (this.notes.get(what) ?? 0) + 1);
  }

  total(): number {
    let n = 0;
    for (const v of this.counts.values()) n += v;
    return n;
  }

  report(): void {
    const lines = [...this.counts].map(([p, n]) => `  ${String(n).padStart(6)}  ${p}`);
    for (const [what, n] of this.notes) lines.push(`  ${String(n).padStart(6)}    of which: ${what}`);
    for (const [name, f] of findings) lines.push(`  ${String(f.count).padStart(6)}  ${name}, e.g. ${f.example}`);
    console.log(`[property] ${this.suite}: ${this.total()} cases\n${lines.join('\n')}`);
  }
}

export function closeAgent(): void {
  agent.destroy();
}
