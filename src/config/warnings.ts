// Start-up warnings about a configuration that works but must not reach production.
import type { Config } from './schema.ts';

/** Secrets in config/default.yaml start with this, so a deployment that kept one is detected. */
export const DEV_SECRET_PREFIX = 'insecure-dev-';

export function configWarnings(cfg: Config): string[] {
  const warnings: string[] = [];
  const isDev = (s: string | undefined) => s !== undefined && s.startsWith(DEV_SECRET_PREFIX);
  if (isDev(cfg.identity.secret)) {
    warnings.push('identity.secret is the development default: klant ids are predictable; set KLANTBRUG_IDENTITY__SECRET');
  }
  for (const c of cfg.auth.clients) {
    if (isDev(c.secret)) warnings.push(`auth client '${c.clientId}' uses a development secret: anyone can sign tokens for it`);
  }
  if (isDev(cfg.notificaties.secret)) warnings.push('notificaties.secret is a development secret');
  if (cfg.backend.kind === 'embedded') warnings.push('backend.kind is embedded: data lives in the built-in simulator');
  return warnings;
}
