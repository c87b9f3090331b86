// Child processes for benchmarks: the simulator and the gateway run as separate processes (as in
// production), and the load generator runs in a third, so no party's CPU hides another's.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Started {
  child: ChildProcess;
  /** First capture group of the readiness pattern (e.g. the URL it printed). */
  match: string;
  output: () => string;
  stop: () => Promise<void>;
}

/** Spawns `node <script> ...args` and resolves once stdout/stderr matches `ready`. */
export function startNode(script: string, args: string[], env: Record<string, string>, ready: RegExp, timeoutMs = 20_000): Promise<Started> {
  const child = spawn(process.execPath, [script, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not become ready within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          child,
          match: m[1] ?? m[0],
          output: () => out,
          stop: () =>
            new Promise<void>((res) => {
              if (child.exitCode !== null) return res();
              child.once('exit', () => res());
              child.kill('SIGTERM');
              setTimeout(() => child.kill('SIGKILL'), 5000).unref();
            }),
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before it was ready:\n${out}`));
    });
  });
}

export async function startSimulatorProcess(extraArgs: string[] = []): Promise<Started & { url: string }> {
  const s = await startNode('src/simulator/main.ts', ['--port', '0', ...extraArgs], {}, /(http:\/\/\S+\/StUF\/bg0310)/);
  return { ...s, url: s.match };
}

export async function startGatewayProcess(env: Record<string, string>): Promise<Started & { url: string; token: string }> {
  const s = await startNode('src/main.ts', [], { PORT: '0', KLANTBRUG_LOG__LEVEL: 'warn', ...env }, /demo JWT[^:]*: (\S+)/);
  const url = /klantbrug listening: (http:\/\/\S+)\/api\/v1/.exec(s.output())?.[1];
  if (!url) throw new Error(`gateway did not print its URL:\n${s.output()}`);
  return { ...s, url, token: s.match };
}
