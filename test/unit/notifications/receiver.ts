// A small Notificaties API stand-in: records what it receives; can answer 201, fail with 500,
// never answer, or be down (not listening) and come back on the same port.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  authorization: string;
  contentType: string;
  body: any;
}

export type Mode = 'ok' | 'fail' | 'hang';

export interface Receiver {
  url: string;
  received: Received[];
  /** Requests answered 2xx. */
  accepted: Received[];
  mode: Mode;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  let server: http.Server | undefined;
  let port = 0;
  const r: Receiver = {
    url: '',
    received: [],
    accepted: [],
    mode: 'ok',
    async down() {
      const s = server;
      server = undefined;
      if (!s) return;
      s.closeAllConnections();
      await new Promise<void>((res) => s.close(() => res()));
    },
    async up() {
      if (server) return;
      const s = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const rec: Received = {
            path: req.url ?? '',
            authorization: req.headers.authorization ?? '',
            contentType: req.headers['content-type'] ?? '',
            body: text ? JSON.parse(text) : undefined,
          };
          r.received.push(rec);
          if (r.mode === 'hang') return;
          if (r.mode === 'fail') return void res.writeHead(500).end();
          r.accepted.push(rec);
          res.writeHead(201, { 'content-type': 'application/json' }).end(text);
        });
      });
      await new Promise<void>((res, rej) => {
        s.once('error', rej);
        s.listen(port, '127.0.0.1', () => res());
      });
      port = (s.address() as AddressInfo).port;
      r.url = `http://127.0.0.1:${port}/api/v1`;
      server = s;
    },
    close() {
      return r.down();
    },
  };
  await r.up();
  return r;
}

export async function until(cond: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
