import type { AddressInfo } from 'node:net';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { createLogger, maskPath } from '../../../src/http/logger.ts';
import { errorMiddleware, platformMiddleware } from '../../../src/http/platform.ts';

function capture(level: 'info' | 'debug' = 'info') {
  const lines: string[] = [];
  const logger = createLogger({ level }, { write: (line: string) => void lines.push(line) });
  return { logger, lines };
}

describe('createLogger', () => {
  it('writes JSON with the level label', () => {
    const { logger, lines } = capture();
    logger.info({ requestId: 'r1' }, 'hello');
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ level: 'info', msg: 'hello', requestId: 'r1', service: 'klantbrug' });
  });

  it('redacts personal data and credentials wherever a module logs them', () => {
    const { logger, lines } = capture('debug');
    logger.debug(
      {
        headers: { authorization: 'Bearer eyJsecret' },
        klant: {
          emailadres: 'jan@example.nl',
          voornaam: 'Jan',
          subjectIdentificatie: { inpBsn: '999993653', geslachtsnaam: 'Jansen' },
          adres: { postcode: '1234AB' },
        },
        stuf: { antwoord: { object: { inpBsn: '111222333' } } },
        backend: { secret: 'pw' },
        bronorganisatie: '123456782',
      },
      'klant read',
    );
    const text = lines.join('\n');
    for (const leaked of ['eyJsecret', 'jan@example.nl', '"Jan"', '999993653', 'Jansen', '1234AB', '111222333', '"pw"']) {
      expect(text).not.toContain(leaked);
    }
    expect(text).toContain('[redacted]');
    // Not personal data: kept for diagnosis.
    expect(text).toContain('123456782');
  });
});

describe('maskPath', () => {
  it('masks long digit segments (BSN, A-nummer) but keeps UUIDs and short numbers', () => {
    expect(maskPath('/ingeschrevenpersonen/999993653')).toBe('/ingeschrevenpersonen/[redacted]');
    expect(maskPath('/x/1234567890/y')).toBe('/x/[redacted]/y');
    expect(maskPath('/klanten/3f2a1e0c-1d2b-4c3d-9e8f-0a1b2c3d4e5f')).toBe('/klanten/3f2a1e0c-1d2b-4c3d-9e8f-0a1b2c3d4e5f');
    expect(maskPath('/api/v1/klanten?page=2')).toBe('/api/v1/klanten?page=2');
  });
});

describe('requestLogger', () => {
  /** Lines logged at `level` for GET /ok (200) and GET /boom (500), each with its X-Request-ID. */
  async function linesAt(level: 'warn' | 'error' | 'info'): Promise<Array<Record<string, unknown>>> {
    const lines: Array<Record<string, unknown>> = [];
    const logger = createLogger({ level }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const app = express();
    app.use(platformMiddleware({ server: { bodyLimitBytes: 1024, cors: { origins: [] } }, logger }));
    app.get('/ok', (_req, res) => {
      res.json({ ok: true });
    });
    app.get('/boom', () => {
      throw new Error('kapot');
    });
    app.use(errorMiddleware(logger));
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (const path of ['/ok', '/boom']) await (await fetch(base + path, { headers: { 'X-Request-ID': `rq${path.slice(1)}` } })).arrayBuffer();
      await new Promise((r) => setTimeout(r, 20));
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    return lines;
  }

  it('writes the request line per request at info, 5xx at error, each with its request id', async () => {
    const lines = await linesAt('info');
    expect(lines.filter((l) => l['msg'] === 'request').map((l) => [l['level'], l['requestId'], l['status']])).toEqual([
      ['info', 'rqok', 200],
      ['error', 'rqboom', 500],
    ]);
    expect(lines.find((l) => l['msg'] === 'unhandled error')).toMatchObject({ level: 'error', requestId: 'rqboom' });
  });

  it('at warn writes only what is at error level (the 5xx), with its request id', async () => {
    const lines = await linesAt('warn');
    expect(lines.map((l) => [l['msg'], l['level'], l['requestId']])).toEqual([
      ['unhandled error', 'error', 'rqboom'],
      ['request', 'error', 'rqboom'],
    ]);
  });
});

