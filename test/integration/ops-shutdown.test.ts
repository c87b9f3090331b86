// Graceful shutdown: the gateway as a child process (`node src/main.ts`, configured by env)
// in front of a slow simulator. SIGTERM while requests are in flight: they complete, new
// connections are refused, the process exits 0. And in-process: readiness says `draining` as
// soon as the close begins.
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../src/auth/index.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { startHarness } from '../support/harness.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLIENT = { clientId: 'shutdown-test', secret: 'shutdown-test-secret-0123456789' };
const LATENCY_MS = 700;

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 1, demoCount: 30 });
});
afterAll(async () => {
  await sim?.stop();
});

interface Child {
  proc: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

function startGatewayProcess(env: Record<string, string>): Promise<Child> {
  const proc = spawn(process.execPath, ['src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`gateway did not start:\n${out}`));
    }, 20_000);
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const m = /klantbrug listening: (http:\/\/\S+)\/api\/v1/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, url: m[1]!, output: () => out, exited });
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited with ${code} before it was ready:\n${out}`));
    });
  });
}

/** GET over a fresh connection (no keep-alive pool), so a refused connection shows as such. */
function get(url: string, token?: string): Promise<{ status: number; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function waitFor(cond: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('graceful shutdown of the process', () => {
  it('SIGTERM: requests in flight complete, new connections are refused, exit code 0', async () => {
    const gw = await startGatewayProcess({
      PORT: '0',
      KLANTBRUG_SERVER__HOST: '127.0.0.1',
      KLANTBRUG_BACKEND__KIND: 'stuf',
      KLANTBRUG_BACKEND__ENDPOINT: sim.url,
      KLANTBRUG_AUTH__CLIENTS: JSON.stringify([{ ...CLIENT, heeftAlleAutorisaties: true }]),
      KLANTBRUG_SERVER__SHUTDOWN_TIMEOUT_MS: '5000',
      KLANTBRUG_LOG__LEVEL: 'info',
    });
    try {
      const token = signToken(CLIENT.clientId, CLIENT.secret);
      expect((await get(`${gw.url}/readyz`)).status).toBe(200);

      sim.setFault({ type: 'latency', ms: LATENCY_MS });
      const before = sim.stats().requests.total;
      const slow = ['natuurlijk_persoon', 'niet_natuurlijk_persoon', 'vestiging'].map((type) =>
        get(`${gw.url}/api/v1/klanten?subjectType=${type}`, token).then(
          (r) => r.status,
          (e: unknown) => String(e),
        ),
      );
      // all three questions (npsLv01, nnpLv01, vesLv01) have reached the backend: the requests are in flight
      await waitFor(() => sim.stats().requests.total >= before + 3, 5000);

      const signalled = Date.now();
      gw.proc.kill('SIGTERM');
      // the listener closes at once: a new connection is refused while the slow requests still run
      // (one accepted just before the close, with no request read yet, is reset instead)
      let refused: string | undefined;
      for (let i = 0; i < 100 && refused !== 'ECONNREFUSED'; i++) {
        refused = await get(`${gw.url}/healthz`).then(
          () => undefined,
          (e: NodeJS.ErrnoException) => e.code,
        );
        if (refused !== 'ECONNREFUSED') await new Promise((r) => setTimeout(r, 10));
      }
      expect(refused).toBe('ECONNREFUSED');
      expect(Date.now() - signalled).toBeLessThan(LATENCY_MS);

      expect(await Promise.all(slow)).toEqual([200, 200, 200]);
      expect(await gw.exited).toBe(0);
      expect(gw.output()).toContain('shutting down');
    } finally {
      sim.clearFaults();
      if (gw.proc.exitCode === null) gw.proc.kill('SIGKILL');
    }
  });
});

describe('graceful close in process', () => {
  it('readiness turns 503 draining as soon as the close begins; in-flight requests still finish', async () => {
    const h = await startHarness({ sharedSimulator: sim, config: { cache: { ttlSeconds: 0 } } });
    try {
      expect((await h.get('/readyz', { client: null })).status).toBe(200);
      sim.setFault({ type: 'latency', ms: 400 });
      const before = sim.stats().requests.total;
      const slow = h.get('/api/v1/klanten?subjectType=vestiging');
      await waitFor(() => sim.stats().requests.total > before, 5000);
      const closing = h.gateway.close(5000);
      expect(await h.gateway.readiness.report()).toEqual({ status: 'draining', checks: {} });
      expect((await slow).status).toBe(200);
      expect(await closing).toEqual({ drained: true });
    } finally {
      sim.clearFaults();
      await h.gateway.close(100).catch(() => {});
    }
  });

  it('cuts requests still running at the deadline and says so', async () => {
    const h = await startHarness({ sharedSimulator: sim, config: { cache: { ttlSeconds: 0 } } });
    try {
      sim.setFault({ type: 'latency', ms: 600 });
      const before = sim.stats().requests.total;
      const slow = h.get('/api/v1/klanten?subjectType=vestiging').then(
        () => 'answered',
        () => 'cut',
      );
      await waitFor(() => sim.stats().requests.total > before, 5000);
      expect(await h.gateway.close(100)).toEqual({ drained: false });
      expect(await slow).toBe('cut');
    } finally {
      sim.clearFaults();
      await h.gateway.close(100).catch(() => {});
    }
  });
});
