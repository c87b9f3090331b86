import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  DEFAULT_CONFIG_FILE,
  PROJECT_ROOT,
  configWarnings,
  loadConfig,
  redactConfig,
} from '../../../src/config/index.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'kb-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let counter = 0;
function yamlFile(text: string): string {
  const file = path.join(dir, `c${++counter}.yaml`);
  writeFileSync(file, text);
  return file;
}

const MINIMAL = 'identity:\n  secret: a-sixteen-char-secret\n';

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig: files and defaults', () => {
  it('loads the embedded default: embedded backend, demo client with all rights, in-process cache', () => {
    const cfg = loadConfig({ env: {} });
    expect(cfg.server.port).toBe(8000);
    expect(cfg.backend.kind).toBe('embedded');
    expect(cfg.simulator.demo).toBe(true);
    expect(cfg.redis.url).toBeUndefined();
    expect(cfg.auth.clients).toEqual([
      expect.objectContaining({ clientId: 'klantbrug-demo', heeftAlleAutorisaties: true }),
    ]);
    expect(configWarnings(cfg).some((w) => w.includes('identity.secret'))).toBe(true);
    expect(configWarnings(cfg).some((w) => w.includes('klantbrug-demo'))).toBe(true);
  });

  it('fills every unspecified key with its default', () => {
    const cfg = loadConfig({ file: yamlFile(MINIMAL), env: {} });
    expect(cfg.server).toMatchObject({ port: 8000, links: 'absolute', strict: false, trustProxy: ['loopback'] });
    expect(cfg.server.bodyLimitBytes).toBe(100 * 1024);
    expect(cfg.api.pageSize).toBe(100);
    expect(cfg.backend.mapping).toBe('mappings/stuf-bg-0310.yaml');
    expect(cfg.redis.keyPrefix).toBe('kb');
    expect(cfg.auth.clients).toEqual([]);
    expect(cfg.subjectCheck.allowPrivate).toBe(false);
    expect(cfg.upstreams).toEqual([]);
    expect(configWarnings(cfg).some((w) => w.includes('identity.secret'))).toBe(false);
  });

  it('reads values from the given file and from $KLANTBRUG_CONFIG', () => {
    const file = yamlFile(`${MINIMAL}server:\n  port: 9123\n  links: relative\napi:\n  pageSize: 20\n`);
    expect(loadConfig({ file, env: {} }).server.port).toBe(9123);
    const viaEnv = loadConfig({ env: { KLANTBRUG_CONFIG: file } });
    expect(viaEnv.server.links).toBe('relative');
    expect(viaEnv.api.pageSize).toBe(20);
  });

  it('accepts config/example.yaml (every key documented there is a real key)', () => {
    const cfg = loadConfig({
      file: path.join(PROJECT_ROOT, 'config/example.yaml'),
      // example.yaml reads the client secret from /run/secrets: an env secret replaces that choice.
      env: { KLANTBRUG_AUTH__CLIENTS__0__SECRET: 'from-env' },
    });
    expect(cfg.backend.kind).toBe('stuf');
    expect(cfg.auth.clients[0]?.secret).toBe('from-env');
  });

  it('reports a missing file and a YAML syntax error with the file name', () => {
    const missing = configError(() => loadConfig({ file: path.join(dir, 'nope.yaml'), env: {} }));
    expect(missing.message).toContain('nope.yaml');
    const broken = configError(() => loadConfig({ file: yamlFile('server:\n  port: [1,\n'), env: {} }));
    expect(broken.issues[0]?.source).toContain('.yaml');
    expect(broken.message).toMatch(/line \d+/);
  });

  it('uses the project default file whatever the working directory', () => {
    const cfg = loadConfig({ env: {}, cwd: dir });
    expect(cfg.auth.clients[0]?.clientId).toBe('klantbrug-demo');
    expect(DEFAULT_CONFIG_FILE.endsWith(path.join('config', 'default.yaml'))).toBe(true);
  });
});

describe('loadConfig: environment overrides', () => {
  const file = yamlFile(`${MINIMAL}server:\n  port: 9000\n`);

  it('overrides nested keys, parsing JSON-looking values', () => {
    const cfg = loadConfig({
      file,
      env: {
        KLANTBRUG_SERVER__PORT: '9100',
        KLANTBRUG_SERVER__STRICT: 'true',
        KLANTBRUG_SERVER__PUBLIC_BASE_URL: 'https://api.example.nl/klanten/',
        KLANTBRUG_SERVER__TRUSTPROXY: '["10.0.0.0/8", "::1"]',
        KLANTBRUG_BACKEND__RETRIES__QUESTIONS: '0',
        KLANTBRUG_UPSTREAMS: '[{"name":"zrc","prefix":"/zaken/","target":"http://zrc:8000"}]',
      },
    });
    expect(cfg.server.port).toBe(9100);
    expect(cfg.server.strict).toBe(true);
    expect(cfg.server.publicBaseUrl).toBe('https://api.example.nl/klanten');
    expect(cfg.server.trustProxy).toEqual(['10.0.0.0/8', '::1']);
    expect(cfg.backend.retries.questions).toBe(0);
    expect(cfg.upstreams).toEqual([{ name: 'zrc', prefix: '/zaken', target: 'http://zrc:8000', timeoutMs: 10_000 }]);
  });

  it('keeps text keys as text, even when they look like numbers', () => {
    const cfg = loadConfig({
      file,
      env: { KLANTBRUG_IDENTITY__SECRET: '12345678901234567', KLANTBRUG_BACKEND__ZENDER__ORGANISATIE: '0363' },
    });
    expect(cfg.identity.secret).toBe('12345678901234567');
    expect(cfg.backend.zender.organisatie).toBe('0363');
  });

  it('indexes lists with a number segment', () => {
    const cfg = loadConfig({
      file,
      env: {
        KLANTBRUG_AUTH__CLIENTS__0__CLIENT_ID: 'zs',
        KLANTBRUG_AUTH__CLIENTS__0__SECRET: 's3cret',
        KLANTBRUG_AUTH__CLIENTS__0__SCOPES: '["klanten.lezen"]',
      },
    });
    expect(cfg.auth.clients).toEqual([
      { clientId: 'zs', secret: 's3cret', scopes: ['klanten.lezen'], heeftAlleAutorisaties: false, applicatieWeergave: '' },
    ]);
  });

  it('supports PORT and REDIS_URL, with KLANTBRUG_* taking precedence', () => {
    const aliases = loadConfig({ file, env: { PORT: '7000', REDIS_URL: 'redis://cache:6379/1' } });
    expect(aliases.server.port).toBe(7000);
    expect(aliases.redis.url).toBe('redis://cache:6379/1');
    expect(loadConfig({ file, env: { PORT: '7000', KLANTBRUG_SERVER__PORT: '7001' } }).server.port).toBe(7001);
  });

  it('removes a key set to the empty string (its default applies)', () => {
    expect(loadConfig({ file, env: { KLANTBRUG_SERVER__PORT: '' } }).server.port).toBe(8000);
  });

  it('ignores KLANTBRUG_* variables that are not config keys, rejects misspelt ones', () => {
    expect(loadConfig({ file, env: { KLANTBRUG_BENCH: 'x', KLANTBRUG_CONFIG: file } }).server.port).toBe(9000);
    const err = configError(() => loadConfig({ file, env: { KLANTBRUG_SERVER__PROT: '1' } }));
    expect(err.issues[0]).toMatchObject({ path: ['server', 'PROT'], source: 'env KLANTBRUG_SERVER__PROT' });
  });
});

describe('loadConfig: validation errors name the key and its source', () => {
  it('a bad value in the file', () => {
    const file = yamlFile(`${MINIMAL}server:\n  port: eighty\n`);
    const err = configError(() => loadConfig({ file, env: {} }));
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0]?.path).toEqual(['server', 'port']);
    expect(err.issues[0]?.source).toBe(`file ${path.relative(process.cwd(), file)}`);
    expect(err.message).toContain('server.port');
  });

  it('a bad value from an environment variable', () => {
    const file = yamlFile(MINIMAL);
    const err = configError(() => loadConfig({ file, env: { KLANTBRUG_SERVER__LINKS: 'sideways' } }));
    expect(err.message).toMatch(/server\.links: .*\(from env KLANTBRUG_SERVER__LINKS\)/);
  });

  it('unknown keys, unknown scopes, missing required keys and cross-field rules', () => {
    const file = yamlFile(
      [
        'server:',
        '  prot: 1',
        'auth:',
        '  clients:',
        '    - clientId: a',
        '      secret: b',
        '      scopes: [klanten.lzen]',
        'backend:',
        '  kind: stuf',
      ].join('\n'),
    );
    const err = configError(() => loadConfig({ file, env: {} }));
    const paths = err.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining(['server.prot', 'auth.clients.0.scopes.0', 'identity.secret', 'backend.endpoint']),
    );
  });

  it('never quotes a secret in an error', () => {
    const file = yamlFile('identity:\n  secret: short-secret\n');
    const err = configError(() => loadConfig({ file, env: {} }));
    expect(err.issues[0]?.path).toEqual(['identity', 'secret']);
    expect(err.message).not.toContain('short-secret');
  });
});

describe('loadConfig: secrets from files', () => {
  const secretFile = path.join(dir, 'identity.secret');
  writeFileSync(secretFile, 'secret-from-a-file-0123456789\n');

  it('reads <key>File and drops the trailing newline', () => {
    const file = yamlFile(`identity:\n  secretFile: ${secretFile}\n`);
    expect(loadConfig({ file, env: {} }).identity.secret).toBe('secret-from-a-file-0123456789');
  });

  it('lets an env secretFile replace the file secret, and an env secret replace a file secretFile', () => {
    const viaEnvFile = loadConfig({ file: yamlFile(MINIMAL), env: { KLANTBRUG_IDENTITY__SECRET_FILE: secretFile } });
    expect(viaEnvFile.identity.secret).toBe('secret-from-a-file-0123456789');
    const viaEnvSecret = loadConfig({
      file: yamlFile(`identity:\n  secretFile: ${secretFile}\n`),
      env: { KLANTBRUG_IDENTITY__SECRET: 'env-secret-0123456789' },
    });
    expect(viaEnvSecret.identity.secret).toBe('env-secret-0123456789');
  });

  it('resolves relative secret files against cwd', () => {
    const file = yamlFile('identity:\n  secretFile: identity.secret\n');
    expect(loadConfig({ file, env: {}, cwd: dir }).identity.secret).toBe('secret-from-a-file-0123456789');
  });

  it('reports an unreadable secret file and a secret given twice', () => {
    const missing = configError(() =>
      loadConfig({ file: yamlFile(MINIMAL), env: { KLANTBRUG_IDENTITY__SECRETFILE: path.join(dir, 'absent') } }),
    );
    expect(missing.issues[0]).toMatchObject({ path: ['identity', 'secretFile'], source: 'env KLANTBRUG_IDENTITY__SECRETFILE' });
    expect(missing.message).toContain('ENOENT');
    const both = configError(() =>
      loadConfig({ file: yamlFile(`identity:\n  secret: x-sixteen-characters\n  secretFile: ${secretFile}\n`), env: {} }),
    );
    expect(both.issues[0]?.path).toEqual(['identity', 'secretFile']);
  });
});

describe('redactConfig', () => {
  it('hides every secret and URL password and keeps the rest', () => {
    const file = yamlFile(
      [
        'identity:',
        '  secret: identity-secret-value',
        'redis:',
        '  url: redis://user:redis-pw@cache:6379/0',
        'auth:',
        '  clients:',
        '    - { clientId: zs, secret: client-secret-value, scopes: [klanten.lezen] }',
        'notificaties:',
        '  url: https://nrc.example.nl/api/v1',
        '  clientId: kb',
        '  secret: nrc-secret-value',
      ].join('\n'),
    );
    const cfg = loadConfig({ file, env: {} });
    const text = JSON.stringify(redactConfig(cfg));
    for (const secret of ['identity-secret-value', 'client-secret-value', 'nrc-secret-value', 'redis-pw']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('redis://user:[redacted]@cache:6379/0');
    expect(text).toContain('"clientId":"zs"');
    expect(text).toContain('https://nrc.example.nl/api/v1');
    expect(cfg.identity.secret).toBe('identity-secret-value');
  });
});
