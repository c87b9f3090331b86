import { createServer } from 'node:net';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../src/config/index.ts';
import { describeStartupError } from '../../../src/startup-error.ts';

describe('describeStartupError', () => {
  it('a bad config: its message naming the key and where it came from', () => {
    let err: unknown;
    try {
      parseConfig({ server: { portt: 1 } }, { env: {} });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect(describeStartupError(err)).toContain('server.portt');
  });

  it('a port in use (a real second listen): address, port and how to choose another', async () => {
    const first = createServer().listen(0, '127.0.0.1');
    await once(first, 'listening');
    const port = (first.address() as { port: number }).port;
    const second = createServer().listen(port, '127.0.0.1');
    const [err] = await once(second, 'error');
    first.close();
    expect(describeStartupError(err)).toBe(
      `cannot listen on 127.0.0.1:${port}: the address is in use (another klantbrug still stopping?); choose another port with PORT or KLANTBRUG_SERVER__PORT`,
    );
  });

  it('anything else: the stack, for a bug report', () => {
    const err = new TypeError('boom');
    expect(describeStartupError(err)).toContain('TypeError: boom');
    expect(describeStartupError(err)).toContain('startup-error.test.ts');
  });
});
