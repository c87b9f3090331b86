import { describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../../src/auth/authenticator.ts';
import { decodeJwt } from '../../../src/auth/jwt.ts';
import { runTokenCli } from '../../../src/cli/token.ts';
import { loadConfig } from '../../../src/config/index.ts';

function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runTokenCli(argv, { env, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('token CLI', () => {
  it('prints a token the server (same config) accepts', () => {
    const { code, out } = run(['klantbrug-demo', '--user-id', 'u7', '--ttl', '300']);
    expect(code).toBe(0);
    expect(out).toHaveLength(1);
    const auth = createAuthenticator(loadConfig({ env: {} }).auth);
    const result = auth.authenticate(`Bearer ${out[0]}`);
    expect(result.ok && result.principal).toMatchObject({ clientId: 'klantbrug-demo', userId: 'u7' });
    const exp = decodeJwt(out[0] ?? '')?.payload['exp'];
    expect(exp).toBeGreaterThan(Date.now() / 1000 + 200);
  });

  it('follows env overrides like the server (a changed secret changes the token)', () => {
    const env = { KLANTBRUG_AUTH__CLIENTS__0__SECRET: 'rotated-secret' };
    const { out } = run([], env);
    const withDefault = createAuthenticator(loadConfig({ env: {} }).auth);
    const withRotated = createAuthenticator(loadConfig({ env }).auth);
    expect(withDefault.authenticate(`Bearer ${out[0]}`).ok).toBe(false);
    expect(withRotated.authenticate(`Bearer ${out[0]}`).ok).toBe(true);
  });

  it('fails for an unknown client, listing the configured ones', () => {
    const { code, out, err } = run(['nobody']);
    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(err.join('\n')).toContain('klantbrug-demo');
  });
});
