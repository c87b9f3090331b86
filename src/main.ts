// `npm start`: loads the config, starts the gateway (with the embedded StUF simulator when
// configured so), prints how to call it, and shuts down gracefully on SIGTERM/SIGINT.
import { loadConfig, configWarnings, redactConfig } from './config/index.ts';
import { signToken } from './auth/index.ts';
import { startGateway, type Gateway } from './gateway.ts';
import { describeStartupError } from './startup-error.ts';
import type { Config } from './config/index.ts';

let config: Config;
let gateway: Gateway;
try {
  config = loadConfig();
  gateway = await startGateway(config);
} catch (err) {
  process.stderr.write(`klantbrug: ${describeStartupError(err)}\n`);
  process.exit(1);
}
const log = gateway.logger;
for (const w of configWarnings(config)) log.warn(w);
log.debug({ config: redactConfig(config) }, 'configuration');

const apiRoot = `${gateway.url}/api/v1`;
const demo = config.auth.clients[0];
const lines = [`klantbrug listening: ${apiRoot}`];
if (gateway.simulator) lines.push(`embedded StUF simulator (demo data): ${Object.entries(gateway.simulator.urls).map(([sector, url]) => `${sector} ${url}`).join(', ')} (mapping ${config.backend.mapping})`);
if (demo) {
  const token = signToken(demo.clientId, demo.secret, { user_id: 'demo', user_representation: 'Demo gebruiker' });
  lines.push(`demo JWT (client ${demo.clientId}): ${token}`);
  lines.push(`try: curl -H "Authorization: Bearer ${token}" ${apiRoot}/klanten?subjectType=natuurlijk_persoon`);
}
process.stdout.write(`${lines.join('\n')}\n`);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down: finishing requests in flight');
  // gateway.close() cuts requests at shutdownTimeoutMs itself; this only guards a close step that hangs.
  const hang = setTimeout(() => {
    log.error('shutdown did not complete; exiting');
    process.exit(1);
  }, config.server.shutdownTimeoutMs + 5_000);
  hang.unref();
  try {
    const { drained } = await gateway.close(config.server.shutdownTimeoutMs);
    if (!drained) log.error('shutdown deadline passed; requests in flight were cut');
    log.info('stopped');
    process.exit(drained ? 0 : 1);
  } catch (err) {
    log.error({ err }, 'shutdown failed');
    process.exit(1);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
