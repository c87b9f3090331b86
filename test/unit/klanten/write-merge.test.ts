// How a validated body becomes the klant to store: create defaults, PUT (top-level merge, groups
// replaced), PATCH (deep merge, null clears, lists replaced, groups created from null).
import { describe, expect, it } from 'vitest';
import type { KlantData } from '../../../src/domain/klant.ts';
import { EMPTY_KLANT } from '../../../src/domain/klant.ts';
import { applyPatch, applyPut, hasContent, isUnder, klantFromCreate } from '../../../src/klanten/write-merge.ts';
import { validateKlantBody } from '../../../src/klanten/schemas.ts';

const stored: KlantData = {
  ...EMPTY_KLANT,
  bronorganisatie: '002220647',
  klantnummer: '123',
  websiteUrl: 'https://example.nl',
  functie: 'inwoner',
  adres: { straatnaam: 'Kerkstraat', huisnummer: 1, huisletter: '', huisnummertoevoeging: '', postcode: '1234AB', woonplaatsnaam: 'Utrecht', landcode: 'NL' },
  subjectType: 'vestiging',
  subjectIdentificatie: { vestigingsNummer: '000012345678', handelsnaam: ['A', 'B'], verblijfsadres: null, subVerblijfBuitenland: null },
};

const patch = (body: unknown) => {
  const v = validateKlantBody(body, 'partial', { currentSubjectType: 'vestiging' });
  if (!v.ok) throw new Error(JSON.stringify(v.invalidParams));
  return applyPatch(stored, v.value);
};

describe('klantFromCreate', () => {
  it('fills what the body leaves out as the API renders it', () => {
    expect(klantFromCreate({ bronorganisatie: '002220647', websiteUrl: 'https://x.nl', subjectType: 'vestiging' })).toEqual({
      ...EMPTY_KLANT,
      bronorganisatie: '002220647',
      websiteUrl: 'https://x.nl',
      subjectType: 'vestiging',
    });
  });
});

describe('applyPut', () => {
  it('keeps top-level fields not sent, replaces those sent (groups whole)', () => {
    const v = validateKlantBody({ bronorganisatie: '002220647', klantnummer: '123', websiteUrl: 'https://n.nl', adres: { straatnaam: 'Dorpsweg' } }, 'update', { currentSubjectType: 'vestiging' });
    if (!v.ok) throw new Error('invalid');
    const next = applyPut(stored, v.value);
    expect(next.functie).toBe('inwoner');
    expect(next.websiteUrl).toBe('https://n.nl');
    expect(next.adres).toEqual({ straatnaam: 'Dorpsweg', huisnummer: null, huisletter: '', huisnummertoevoeging: '', postcode: '', woonplaatsnaam: '', landcode: '' });
    expect(next.subjectIdentificatie).toEqual(stored.subjectIdentificatie);
  });
});

describe('applyPatch', () => {
  it('merges group members one by one and reports the leaves it set', () => {
    const { merged, touched } = patch({ adres: { huisnummer: 5 }, telefoonnummer: '06' });
    expect(merged.adres).toEqual({ ...stored.adres, huisnummer: 5 });
    expect(merged.telefoonnummer).toBe('06');
    expect(merged.functie).toBe('inwoner');
    expect(touched.sort()).toEqual(['adres.huisnummer', 'telefoonnummer']);
  });

  it('null clears a group; a list is replaced whole', () => {
    const { merged } = patch({ adres: null, subjectIdentificatie: { handelsnaam: ['C'] } });
    expect(merged.adres).toBeNull();
    expect(merged.subjectIdentificatie).toEqual({ ...stored.subjectIdentificatie, handelsnaam: ['C'] });
  });

  it('a group that was null is built from the members given and marked touched as a whole', () => {
    const { merged, touched } = patch({ subjectIdentificatie: { verblijfsadres: { aoaHuisnummer: 3 } } });
    expect(touched).toContain('subjectIdentificatie.verblijfsadres');
    const v = validateKlantBody(merged, 'update', { currentSubjectType: 'vestiging' });
    expect(v.ok).toBe(false);
    if (!v.ok) {
      expect(v.invalidParams.filter((p) => isUnder(p.name, touched)).map((p) => `${p.name}:${p.code}`).sort()).toEqual([
        'subjectIdentificatie.verblijfsadres.aoaIdentificatie:required',
        'subjectIdentificatie.verblijfsadres.gorOpenbareRuimteNaam:required',
      ]);
    }
  });

  it('does not touch the stored object', () => {
    const copy = structuredClone(stored);
    patch({ adres: { huisnummer: 9 }, subjectIdentificatie: { handelsnaam: [] } });
    expect(stored).toEqual(copy);
  });
});

describe('helpers', () => {
  it('isUnder matches the path and what lies below it, not siblings with a common prefix', () => {
    expect(isUnder('adres.postcode', ['adres'])).toBe(true);
    expect(isUnder('adres', ['adres'])).toBe(true);
    expect(isUnder('adresX', ['adres'])).toBe(false);
    expect(isUnder('websiteUrl', ['adres'])).toBe(false);
  });

  it('hasContent: empty text, null, empty lists and groups of empties say nothing', () => {
    expect(hasContent('')).toBe(false);
    expect(hasContent(null)).toBe(false);
    expect(hasContent({ a: '', b: [], c: { d: null } })).toBe(false);
    expect(hasContent({ a: '', b: ['x'] })).toBe(true);
    expect(hasContent(0)).toBe(true);
  });
});
