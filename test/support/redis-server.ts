// A real redis-server for tests, on a free loopback port, without persistence. Never a mock.
//   const redis = await startRedisServer();  redis.url  → redis://127.0.0.1:<port>
//   await redis.stop();   (also: redis.kill() to simulate a crash, redis.restart() on the same port)
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';

export interface RedisServer {
  url: string;
  port: number;
  /** SIGKILL (a crash); the port stays reserved for restart(). */
  kill(): Promise<void>;
  /** Start again on the same port (empty: no persistence). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const srv = net.createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

function launch(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server did not start on port ${port}: ${out}`));
    }, 5_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited (${code}) on port ${port}: ${out}`));
    });
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

export async function startRedisServer(): Promise<RedisServer> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    try {
      let child: ChildProcess | undefined = await launch(port);
      const stopChild = async (signal: NodeJS.Signals) => {
        const c = child;
        child = undefined;
        if (!c || c.exitCode !== null) return;
        const exited = once(c, 'exit');
        c.kill(signal);
        await exited;
      };
      return {
        url: `redis://127.0.0.1:${port}`,
        port,
        kill: () => stopChild('SIGKILL'),
        restart: async () => {
          await stopChild('SIGKILL');
          child = await launch(port);
        },
        stop: () => stopChild('SIGTERM'),
      };
    } catch (e) {
      lastError = e; // the port was taken between freePort() and the start: try another
    }
  }
  throw lastError;
}
