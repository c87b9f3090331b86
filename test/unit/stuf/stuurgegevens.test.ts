import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wrapEnvelope } from '../../../src/stuf/envelope.ts';
import { buildLv01 } from '../../../src/stuf/messages.ts';
import {
  REFNUMMER_MAX,
  type Systeem,
  buildStuurgegevens,
  checkSysteem,
  formatTijdstip,
  newReferentienummer,
  normalizeTijdstip,
  parseStuurgegevens,
} from '../../../src/stuf/stuurgegevens.ts';
import { buildXml } from '../../../src/stuf/xml-build.ts';
import { NS } from '../../../src/stuf/xml-node.ts';
import { parseXml } from '../../../src/stuf/xml-parse.ts';
import { StufXsdValidator } from '../../../src/stuf/xsd-validator.ts';
import { ENTITIES, sg } from './fixtures.ts';

let validator: StufXsdValidator;
beforeAll(() => {
  validator = new StufXsdValidator();
});
afterAll(() => validator.dispose());

describe('newReferentienummer', () => {
  const uuid = '3f2b8c1e-9a4d-4e7b-8c2f-1a2b3c4d5e6f';
  it.each([
    ['a short request id is kept', 'req-42', 'req-42'],
    ['a UUID loses its hyphens to fit', uuid, uuid.replaceAll('-', '')],
    ['a long id is cut to 32 characters', 'x'.repeat(80), 'x'.repeat(32)],
    ['unsafe characters become _', 'a b<c>&d"é', 'a_b_c__d__'],
  ])('%s', (_name, correlationId, prefix) => {
    const ref = newReferentienummer(correlationId);
    expect(ref.length).toBeLessThanOrEqual(REFNUMMER_MAX);
    expect(ref.startsWith(`${prefix}-`)).toBe(true);
    expect(ref).toMatch(/-[0-9a-z]{7}$/);
  });

  it('without a correlation id is still unique and at most 40 characters', () => {
    const a = newReferentienummer();
    const b = newReferentienummer('   ');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[0-9a-f]{32}-[0-9a-z]{7}$/);
  });

  it('is unique per message for one correlation id', () => {
    const refs = new Set(Array.from({ length: 20_000 }, () => newReferentienummer(uuid)));
    expect(refs.size).toBe(20_000);
  });

  it('fits StUF:Refnummer in a real message (XSD max 40)', () => {
    const e = ENTITIES[0]!;
    const q = buildLv01({
      namespace: NS.bg,
      messageName: 'npsLv01',
      entiteittype: 'NPS',
      stuurgegevens: { ...sg, referentienummer: newReferentienummer('y'.repeat(200)) },
      sortering: 0,
      indicatorVervolgvraag: false,
      scope: e.scope,
    });
    expect(validator.validate(buildXml(wrapEnvelope(q))).errors).toEqual([]);
    // and the check bites: 41 characters are refused by the schema
    const tooLong = buildLv01({ namespace: NS.bg, messageName: 'npsLv01', entiteittype: 'NPS', stuurgegevens: { ...sg, referentienummer: 'z'.repeat(41) }, sortering: 0, indicatorVervolgvraag: false, scope: e.scope });
    expect(validator.validate(buildXml(wrapEnvelope(tooLong))).valid).toBe(false);
  });
});

describe('formatTijdstip', () => {
  it.each([
    ['winter (CET, UTC+1)', '2026-01-15T09:05:03.007Z', '20260115100503007'],
    ['summer (CEST, UTC+2)', '2026-07-01T22:59:59.999Z', '20260702005959999'],
    ['midnight is 00, not 24', '2026-03-01T23:00:00.000Z', '20260302000000000'],
  ])('%s', (_name, iso, expected) => {
    expect(formatTijdstip(new Date(iso))).toBe(expected);
  });

  it('honours another time zone', () => {
    expect(formatTijdstip(new Date('2026-01-15T09:05:03.007Z'), 'UTC')).toBe('20260115090503007');
  });

  it('stays right for many messages in one second, across zones and the switch to summer time', () => {
    // The text up to the second is reused within a second: interleave zones and cross 02:00 CET → 03:00 CEST.
    const cases: [string, string | undefined, string][] = [
      ['2026-03-29T00:59:59.001Z', undefined, '20260329015959001'],
      ['2026-03-29T00:59:59.001Z', 'UTC', '20260329005959001'],
      ['2026-03-29T00:59:59.998Z', undefined, '20260329015959998'],
      ['2026-03-29T01:00:00.000Z', undefined, '20260329030000000'],
      ['2026-03-29T01:00:00.000Z', 'UTC', '20260329010000000'],
      ['2026-03-29T01:00:00.999Z', undefined, '20260329030000999'],
      ['2026-03-29T00:59:59.500Z', undefined, '20260329015959500'],
      ['1969-12-31T23:59:59.250Z', 'UTC', '19691231235959250'],
      ['1969-12-31T23:59:59.750Z', 'UTC', '19691231235959750'],
    ];
    for (const [iso, zone, expected] of cases) expect(formatTijdstip(new Date(iso), zone)).toBe(expected);
  });
});

describe('normalizeTijdstip', () => {
  it.each([
    ['20261123101530', '20261123101530000'],
    ['2026112310153012', '20261123101530120'],
    ['20261123101530123', '20261123101530123'],
    [' 20261123101530 ', '20261123101530000'],
    ['20261123', '20261123'],
    ['0', '0'],
  ])('%j → %j', (raw, expected) => {
    expect(normalizeTijdstip(raw)).toBe(expected);
  });
});

describe('buildStuurgegevens / parseStuurgegevens', () => {
  it('round-trips and omits empty optional Systeem fields', () => {
    const node = buildStuurgegevens(NS.bg, { ...sg, berichtcode: 'La01', crossRefnummer: 'c-1', entiteittype: 'NPS' });
    expect(node.children.map((c) => c.name)).toEqual(['berichtcode', 'zender', 'ontvanger', 'referentienummer', 'tijdstipBericht', 'crossRefnummer', 'entiteittype']);
    const back = parseStuurgegevens(parseXml(buildXml(node)));
    expect(back).toEqual({
      berichtcode: 'La01',
      zender: sg.zender,
      ontvanger: { applicatie: 'BRP-koppeling', administratie: 'klanten' },
      referentienummer: sg.referentienummer,
      tijdstipBericht: sg.tijdstipBericht,
      crossRefnummer: 'c-1',
      entiteittype: 'NPS',
    });
  });

  it('parses nothing into an empty object', () => {
    expect(parseStuurgegevens(undefined)).toEqual({});
    expect(parseStuurgegevens(parseXml(`<s xmlns:StUF="${NS.stuf}"><StUF:zender><StUF:organisatie/></StUF:zender><StUF:referentienummer> </StUF:referentienummer></s>`))).toEqual({});
  });

  it.each<[Systeem, string]>([
    [{ applicatie: 'ab' }, 'too short applicatie'],
    [{ applicatie: 'x'.repeat(51) }, 'too long applicatie'],
    [{ applicatie: 'abc', organisatie: 'o'.repeat(201) }, 'too long organisatie'],
    [{ applicatie: 'abc', gebruiker: 'g'.repeat(101) }, 'too long gebruiker'],
  ])('checkSysteem refuses %j (%s)', (s) => {
    expect(() => checkSysteem(s, 'zender')).toThrow(RangeError);
  });

  it('checkSysteem accepts the XSD limits', () => {
    expect(() => checkSysteem({ organisatie: 'o'.repeat(200), applicatie: 'a'.repeat(50), administratie: 'd'.repeat(50), gebruiker: 'g'.repeat(100) }, 'zender')).not.toThrow();
  });
});
