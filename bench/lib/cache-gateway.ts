// Child process of bench/cache.ts: one gateway against an external simulator (and Redis when
// given), reporting its URL and a token over IPC and its cache health on request.
//   fork('bench/lib/cache-gateway.ts', [JSON.stringify({ simUrl, redisUrl, fastPath })])
import { signToken } from '../../src/auth/index.ts';
import { parseConfig } from '../../src/config/index.ts';
import { startGateway } from '../../src/gateway.ts';

export interface CacheGatewayOptions {
  simUrl: string;
  redisUrl?: string;
  fastPath: boolean;
}

const opts = JSON.parse(process.argv[2] ?? '{}') as CacheGatewayOptions;
const client = { clientId: 'bench-reader', secret: 'bench-secret-0123456789abcdef', scopes: ['klanten.lezen'] };
const config = parseConfig(
  {
    server: { port: 0, host: '127.0.0.1' },
    identity: { secret: 'bench-identity-secret-0123456789' },
    backend: { kind: 'stuf', endpoint: opts.simUrl },
    auth: { clients: [client] },
    rateLimit: { perClientPerMinute: 0 },
    redis: opts.redisUrl === undefined ? {} : { url: opts.redisUrl },
    log: { level: 'warn' },
  },
  { env: {} },
);
const gateway = await startGateway(config, { fastPath: opts.fastPath });
await gateway.cache.whenConnected();
const token = signToken(client.clientId, client.secret, { exp: Math.floor(Date.now() / 1000) + 3600 });

process.on('message', (m: unknown) => {
  if (m === 'health') process.send!({ health: gateway.cache.health() });
  if (m === 'stop') void gateway.close(1_000).then(() => process.exit(0));
});
process.send!({ url: gateway.url, token });
