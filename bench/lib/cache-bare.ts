// Child process of bench/cache.ts: a bare node:http server sending one fixed response (the
// gateway's bytes and headers), the floor any Node handler can reach — written the fastest way
// node:http has, as the gateway's fast path does (one writeHead, body as a latin1 string so it
// leaves in one write with the headers). GET /__count answers how many other requests it served
// (to prove a cache in front of it did not ask).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const spec = JSON.parse(process.argv[2] ?? '{}') as { body: string; headers: string[] };
const body = Buffer.from(spec.body, 'base64').toString('latin1');
let served = 0;
const server = http.createServer((req, res) => {
  if (req.url === '/__count') {
    res.end(String(served));
    return;
  }
  served++;
  res.writeHead(200, spec.headers);
  res.end(body, 'latin1');
});
server.keepAliveTimeout = 5_000;
server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
process.on('message', (m: unknown) => {
  if (m === 'stop') server.close(() => process.exit(0));
});
