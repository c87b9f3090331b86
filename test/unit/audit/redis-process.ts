// A real redis-server for tests, on a unix socket in a temporary directory (no port to collide
// with parallel test files). AOF on with appendfsync always, as the audit trail needs in production.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { Redis } from 'ioredis';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface RedisProcess {
  socket: string;
  /** redis://127.0.0.1:<port> when started with tcp, else undefined. */
  url: string | undefined;
  dir: string;
  client(): Redis;
  /** Stops the server (SHUTDOWN, so the AOF is complete) and keeps its data directory. */
  stop(): Promise<void>;
  /** Starts it again on the same socket and data. */
  restart(): Promise<void>;
  /** Stops it and removes its data. */
  destroy(): Promise<void>;
}

/** `tcp`: also listen on a free loopback port (for config redis.url). */
export async function startRedis(opts: { tcp?: boolean } = {}): Promise<RedisProcess> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kb-redis-'));
  const socket = path.join(dir, 'redis.sock');
  const port = opts.tcp ? await freePort() : 0;
  const clients: Redis[] = [];
  let child: ChildProcess | undefined;

  const launch = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--unixsocket', socket, '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''],
      { stdio: 'ignore' },
    );
    const deadline = Date.now() + 5_000;
    while (!existsSync(socket)) {
      if (Date.now() > deadline) throw new Error('redis-server did not start');
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const halt = async () => {
    const c = child;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM'); // redis-server shuts down cleanly on SIGTERM
    await exited;
  };

  await launch();
  return {
    socket,
    url: port ? `redis://127.0.0.1:${port}` : undefined,
    dir,
    client() {
      const c = new Redis({ path: socket, maxRetriesPerRequest: 1, retryStrategy: (n) => Math.min(n * 50, 500) });
      c.on('error', () => {});
      clients.push(c);
      return c;
    },
    stop: halt,
    restart: launch,
    async destroy() {
      for (const c of clients) c.disconnect();
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
