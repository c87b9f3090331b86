// Prints a JWT-ZGW token for a configured client, reading the configuration like the server does:
//   node src/cli/token.ts [clientId] [--user-id ID] [--user-representation NAME] [--ttl SECONDS]
// Without clientId: the only (or first) configured client. The token has no exp unless --ttl is given.
import { parseArgs } from 'node:util';
import { signToken } from '../auth/jwt.ts';
import { ConfigError, loadConfig } from '../config/index.ts';

export interface TokenCliIo {
  env: NodeJS.ProcessEnv;
  out: (line: string) => void;
  err: (line: string) => void;
}

/** Returns the process exit code. */
export function runTokenCli(argv: string[], io: TokenCliIo): number {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'user-id': { type: 'string' },
        'user-representation': { type: 'string' },
        ttl: { type: 'string' },
        config: { type: 'string' },
      },
    });
  } catch (e) {
    io.err(e instanceof Error ? e.message : String(e));
    return 2;
  }
  const { values, positionals } = args;
  let cfg;
  try {
    cfg = loadConfig({ env: io.env, ...(values.config !== undefined ? { file: values.config } : {}) });
  } catch (e) {
    io.err(e instanceof ConfigError ? e.message : String(e));
    return 1;
  }
  const wanted = positionals[0];
  const client = wanted === undefined ? cfg.auth.clients[0] : cfg.auth.clients.find((c) => c.clientId === wanted);
  if (client === undefined) {
    const known = cfg.auth.clients.map((c) => c.clientId).join(', ') || '(none)';
    io.err(`unknown client ${wanted ?? ''}; configured clients: ${known}`);
    return 1;
  }
  const claims: Record<string, unknown> = {};
  if (values['user-id'] !== undefined) claims['user_id'] = values['user-id'];
  if (values['user-representation'] !== undefined) claims['user_representation'] = values['user-representation'];
  if (values.ttl !== undefined) {
    const ttl = Number(values.ttl);
    if (!Number.isInteger(ttl) || ttl <= 0) {
      io.err('--ttl must be a positive number of seconds');
      return 2;
    }
    claims['exp'] = Math.floor(Date.now() / 1000) + ttl;
  }
  io.out(signToken(client.clientId, client.secret, claims));
  return 0;
}

if (import.meta.main) {
  process.exitCode = runTokenCli(process.argv.slice(2), {
    env: process.env,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
}
