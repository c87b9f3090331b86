// Child processes for bench/cache.ts: node scripts forked with an IPC channel (first message =
// ready), the StUF simulator, redis-server and nginx with proxy_cache. Every process gets its
// own CPU accounting; the load generator runs in yet another (cache-load.ts).
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Forked<T> {
  child: ChildProcess;
  ready: T;
  ask<R>(message: string): Promise<R>;
  stop(): Promise<void>;
}

/** Forks `script` (relative to the repo root) and waits for its first IPC message. */
export async function forkReady<T>(script: string, arg: unknown, timeoutMs = 30_000): Promise<Forked<T>> {
  const child = fork(path.join(ROOT, script), [JSON.stringify(arg)], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = await new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} not ready in ${timeoutMs} ms`)), timeoutMs);
    child.once('message', (m) => {
      clearTimeout(timer);
      resolve(m as T);
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return {
    child,
    ready,
    ask: (message) =>
      new Promise((resolve) => {
        child.once('message', (m) => resolve(m as never));
        child.send(message);
      }),
    stop: () => stopChild(child, () => child.send('stop')),
  };
}

function stopChild(child: ChildProcess, ask: () => void): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = once(child, 'exit').then(() => undefined);
  ask();
  setTimeout(() => child.kill('SIGKILL'), 3_000).unref();
  return exited;
}

export interface Spawned {
  url: string;
  stop(): Promise<void>;
}

/** Spawns a process and resolves when its output matches `ready` (first group = url). */
function spawnReady(cmd: string, args: string[], ready: RegExp, urlOf: (m: RegExpExecArray) => string): Promise<Spawned> {
  const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${cmd} not ready:\n${out}`)), 20_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = ready.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.stderr!.off('data', onData);
      child.stdout!.resume();
      child.stderr!.resume();
      resolve({ url: urlOf(m), stop: () => stopChild(child, () => child.kill('SIGTERM')) });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${cmd} exited with ${code}:\n${out}`)));
  });
}

export function startSimulator(): Promise<Spawned> {
  return spawnReady(process.execPath, ['src/simulator/main.ts', '--port', '0'], /(http:\/\/\S+\/StUF\/bg0310)/, (m) => m[1]!);
}

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  server.close();
  await once(server, 'close');
  return port;
}

export const installed = (cmd: string, versionArg: string): boolean => spawnSync(cmd, [versionArg]).error === undefined;

export async function startRedis(): Promise<Spawned> {
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  return spawnReady('redis-server', args, /Ready to accept connections/, () => `redis://127.0.0.1:${port}`);
}

/** nginx (one worker) caching everything from `upstreamPort` with proxy_cache, as a CDN/edge would. */
export async function startNginx(upstreamPort: number): Promise<Spawned> {
  const dir = mkdtempSync(path.join(tmpdir(), 'klantbrug-nginx-'));
  const port = await freePort();
  const user = process.getuid?.() === 0 ? 'user root root;' : '';
  writeFileSync(
    path.join(dir, 'nginx.conf'),
    `${user}
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  keepalive_requests 1000000;
  proxy_cache_path ${dir}/cache levels=1:2 keys_zone=bench:10m max_size=100m inactive=60m use_temp_path=off;
  upstream bare { server 127.0.0.1:${upstreamPort}; keepalive 16; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://bare;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_cache bench;
      proxy_cache_key $request_uri;
      proxy_cache_valid 200 10m;
      proxy_ignore_headers Cache-Control Expires Set-Cookie Vary;
    }
  }
}
`,
  );
  const nginx = spawn('nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  nginx.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (nginx.exitCode !== null) throw new Error(`nginx exited: ${err}`);
    try {
      await fetch(`http://127.0.0.1:${port}/__count`);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`nginx did not start: ${err}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      await stopChild(nginx, () => nginx.kill('SIGQUIT'));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
