import { spawn } from 'node:child_process';
import http from 'node:http';
const body = Buffer.alloc(687, 97);
const hdrs = ['api-version','1.0.0','cache-control','private, no-cache','content-length','687','content-type','application/json','etag','"abcdefghijklmnopqrstuv"','vary','Authorization, Accept, X-Forwarded-Host, X-Forwarded-Proto, X-Forwarded-Prefix, Forwarded','x-request-id','ef56ee8f-e2e6-4842-9143-a3552fd6a991'];
const s = http.createServer((req, res) => { res.writeHead(200, hdrs); res.end(body); });
await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
const url = `http://127.0.0.1:${(s.address() as any).port}/x`;
const wrk = (name: string) => new Promise<void>((res) => { const c = spawn('wrk', ['-t1', '-c32', '-d3s', url]); let o=''; c.stdout.on('data', (d) => o += d); c.on('exit', () => { console.log(name.padEnd(20), /Requests\/sec:\s+(\S+)/.exec(o)?.[1]); res(); }); });
await wrk('fresh');
const step = process.argv[2];
if (step === 'metrics') { const { GatewayMetrics } = await import('./src/ops/index.ts'); (globalThis as any).m = new GatewayMetrics(); }
if (step === 'gateway') { const { startGateway } = await import('./src/gateway.ts'); void startGateway; }
if (step === 'undici') { await import('undici'); }
if (step === 'ioredis') { await import('ioredis'); }
await wrk('after ' + step);
await wrk('fresh-again?');
process.exit(0);
