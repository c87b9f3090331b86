// A copy of the configuration that is safe to log: secret values replaced, passwords in URLs masked.
import type { Config } from './schema.ts';

export const REDACTED = '[redacted]';

const SECRET_NAME = /secret|password|token|apikey/i;

export function redactConfig(cfg: Config): Record<string, unknown> {
  return redactValue(cfg, '') as Record<string, unknown>;
}

function redactValue(value: unknown, name: string): unknown {
  if (typeof value === 'string') {
    if (SECRET_NAME.test(name)) return REDACTED;
    return maskUrlPassword(value);
  }
  if (Array.isArray(value)) return value.map((v) => redactValue(v, name));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactValue(v, k);
    return out;
  }
  return value;
}

/** `redis://user:pw@host` → `redis://user:[redacted]@host`; other strings unchanged. */
function maskUrlPassword(text: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/@\s]*@/i.test(text)) return text;
  try {
    const url = new URL(text);
    if (url.password === '') return text;
    url.password = 'redacted';
    return url.toString().replace(':redacted@', `:${REDACTED}@`);
  } catch {
    return REDACTED;
  }
}
