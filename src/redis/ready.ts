// Shared start-up behaviour of the gateway's Redis clients: wait until the client is ready, at most
// the connect timeout, so a gateway whose Redis is down still starts (each user of the client
// decides what to do without it), and log connection trouble at most every 30 s (ioredis reports
// every failed reconnect).
import type { Logger } from '../http/index.ts';

interface ReadyClient {
  status: string;
  on(event: 'error', fn: (err: Error) => void): unknown;
  on(event: 'ready', fn: () => void): unknown;
  off(event: 'ready', fn: () => void): unknown;
}

export async function readyOrTimeout<C extends ReadyClient>(client: C, opts: { timeoutMs: number; logger: Logger; label: string }): Promise<C> {
  let lastLog = 0;
  client.on('error', (err: Error) => {
    if (Date.now() - lastLog < 30_000) return;
    lastLog = Date.now();
    opts.logger.warn({ err }, `redis (${opts.label}) unavailable`);
  });
  if (client.status === 'ready') return client;
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      client.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(opts.timeoutMs, 100));
    client.on('ready', done);
  });
  return client;
}
