// What `npm start` prints when the gateway cannot start: the operator's fix in one line for the
// failures an operator causes (bad config, port taken), the stack only for the unexpected.
import { ConfigError } from './config/index.ts';

export function describeStartupError(err: unknown): string {
  if (err instanceof ConfigError) return err.message;
  const e = err as NodeJS.ErrnoException & { address?: string; port?: number };
  if (e?.code === 'EADDRINUSE' && e.syscall === 'listen') {
    return `cannot listen on ${e.address}:${e.port}: the address is in use (another klantbrug still stopping?); ` +
      'choose another port with PORT or KLANTBRUG_SERVER__PORT';
  }
  if (e?.code === 'EACCES' && e.syscall === 'listen') return `cannot listen on ${e.address}:${e.port}: permission denied (ports below 1024 need privileges)`;
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}
