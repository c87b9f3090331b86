import { describe, expect, it } from 'vitest';
import { createLogger, maskPath } from '../../../src/http/logger.ts';

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
