import { spawn } from 'node:child_process';
import { forkReady, startSimulator, startRedis } from './bench/lib/cache-procs.ts';
const sim = await startSimulator();
const redis = await startRedis();
const gwR = await forkReady<any>('bench/lib/cache-gateway.ts', { simUrl: sim.url, redisUrl: redis.url, fastPath: true });
const gwM = await forkReady<any>('bench/lib/cache-gateway.ts', { simUrl: sim.url, fastPath: true });
const list = await (await fetch(gwR.ready.url + '/api/v1/klanten?subjectType=natuurlijk_persoon', { headers: { authorization: 'Bearer ' + gwR.ready.token } })).json() as any;
const path = new URL(list.results[10].url).pathname;
for (const g of [gwR, gwM]) await (await fetch(g.ready.url + path, { headers: { authorization: 'Bearer ' + g.ready.token } })).arrayBuffer();
const wrk = (name: string, url: string, token: string) => new Promise<void>((res) => { const c = spawn('wrk', ['-t1', '-c32', '-d3s', '-H', 'Authorization: Bearer ' + token, url]); let o=''; c.stdout.on('data', (d) => o += d); c.on('exit', () => { console.log(name.padEnd(10), /Requests\/sec:\s+(\S+)/.exec(o)?.[1]); res(); }); });
for (let i = 0; i < 3; i++) { await wrk('redis', gwR.ready.url + path, gwR.ready.token); await wrk('memory', gwM.ready.url + path, gwM.ready.token); }
await gwR.stop(); await gwM.stop(); await redis.stop(); await sim.stop(); process.exit(0);
