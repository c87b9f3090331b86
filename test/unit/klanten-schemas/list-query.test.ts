import { describe, expect, it } from 'vitest';
import { buildOpenApi } from '../../../src/oas/document.ts';
import { validateListQuery } from '../../../src/klanten/schemas.ts';

describe('validateListQuery: filter names', () => {
  // Every filter of klant_list, by its OAS name, its snake_case form and its camelCase JSON path.
  it.each([
    ['bronorganisatie', 'bronorganisatie', 'bronorganisatie', '002220647'],
    ['klantnummer', 'klantnummer', 'klantnummer', 'K1'],
    ['bedrijfsnaam', 'bedrijfsnaam', 'bedrijfsnaam', 'ACME'],
    ['functie', 'functie', 'functie', 'directeur'],
    ['achternaam', 'achternaam', 'achternaam', 'Jansen'],
    ['telefoonnummer', 'telefoonnummer', 'telefoonnummer', '0201234567'],
    ['emailadres', 'emailadres', 'emailadres', 'jan@example.nl'],
    ['adres__straatnaam', 'adres__straatnaam', 'adres.straatnaam', 'Dam'],
    ['adres__postcode', 'adres__postcode', 'adres.postcode', '1012JS'],
    ['adres__woonplaatsNaam', 'adres__woonplaats_naam', 'adres.woonplaatsnaam', 'Amsterdam'],
    ['adres__landcode', 'adres__landcode', 'adres.landcode', '6030'],
    ['subject', 'subject', 'subject', 'https://example.nl/personen/1'],
    ['subjectType', 'subject_type', 'subjectType', 'vestiging'],
    ['subjectNatuurlijkPersoon__inpBsn', 'subject_natuurlijk_persoon__inp_bsn', 'subjectIdentificatie.inpBsn', '111222333'],
    ['subjectNatuurlijkPersoon__anpIdentificatie', 'subject_natuurlijk_persoon__anp_identificatie', 'subjectIdentificatie.anpIdentificatie', 'A1'],
    ['subjectNatuurlijkPersoon__inpA_nummer', 'subject_natuurlijk_persoon__inp_a_nummer', 'subjectIdentificatie.inpANummer', '1234567890'],
    ['subjectNietNatuurlijkPersoon__innNnpId', 'subject_niet_natuurlijk_persoon__inn_nnp_id', 'subjectIdentificatie.innNnpId', '002220647'],
    ['subjectNietNatuurlijkPersoon__annIdentificatie', 'subject_niet_natuurlijk_persoon__ann_identificatie', 'subjectIdentificatie.annIdentificatie', 'N1'],
    ['subjectVestiging__vestigingsNummer', 'subject_vestiging__vestigings_nummer', 'subjectIdentificatie.vestigingsNummer', '000012345678'],
  ])('%s (also %s) → filter %s', (oasName, snake, key, value) => {
    for (const name of [oasName, snake, key]) {
      expect(validateListQuery({ [name]: value }), name).toEqual({ ok: true, filter: { [key]: value }, page: 1 });
    }
  });

  it('knows every query filter of klant_list in the OAS', () => {
    const params = buildOpenApi({ strict: true }).paths['/klanten']?.get?.parameters ?? [];
    const names = params.map((p) => p.name ?? '').filter((n) => n !== 'page');
    expect(names).toHaveLength(19);
    for (const name of names) {
      const result = validateListQuery({ [name]: name === 'subjectType' ? 'vestiging' : name === 'subject' ? 'https://x.nl' : name === 'bronorganisatie' ? '002220647' : 'x' });
      expect(result.ok && Object.keys(result.filter), name).toHaveLength(1);
    }
  });
});

describe('validateListQuery: values', () => {
  it.each([
    ['no parameters', {}, { ok: true, filter: {}, page: 1 }],
    ['page', { page: '3' }, { ok: true, filter: {}, page: 3 }],
    ['empty page = 1', { page: '' }, { ok: true, filter: {}, page: 1 }],
    ['unknown parameters ignored', { achternam: 'x', fields: 'url', ordering: '-x' }, { ok: true, filter: {}, page: 1 }],
    ['empty filter values ignored', { achternaam: '', subjectType: '' }, { ok: true, filter: {}, page: 1 }],
    ['repeated parameter: the last value', { achternaam: ['a', 'b'] }, { ok: true, filter: { achternaam: 'b' }, page: 1 }],
    ['several filters', { achternaam: 'Jansen', adres__postcode: '1012JS', subjectType: 'natuurlijk_persoon', page: '2' }, {
      ok: true,
      filter: { achternaam: 'Jansen', 'adres.postcode': '1012JS', subjectType: 'natuurlijk_persoon' },
      page: 2,
    }],
    ['filter values are not trimmed or changed', { achternaam: ' de Vries ' }, { ok: true, filter: { achternaam: ' de Vries ' }, page: 1 }],
  ])('%s', (_name, query, expected) => {
    expect(validateListQuery(query)).toEqual(expected);
  });

  it.each([
    ['page 0', { page: '0' }, 'page', 'invalid'],
    ['page negative', { page: '-1' }, 'page', 'invalid'],
    ['page not a number', { page: 'twee' }, 'page', 'invalid'],
    ['page a fraction', { page: '1.5' }, 'page', 'invalid'],
    ['page with leading zero', { page: '01' }, 'page', 'invalid'],
    ['page too large', { page: '99999999999999999999' }, 'page', 'invalid'],
    ['subjectType unknown', { subjectType: 'bedrijf' }, 'subjectType', 'invalid_choice'],
    ['subject_type unknown (reported under the OAS name)', { subject_type: 'bedrijf' }, 'subjectType', 'invalid_choice'],
    ['subject not a URL', { subject: 'personen/1' }, 'subject', 'invalid'],
    ['subject not http(s)', { subject: 'urn:x:y' }, 'subject', 'invalid'],
    ['bronorganisatie fails the 11-proef', { bronorganisatie: '123456789' }, 'bronorganisatie', 'invalid'],
    ['bronorganisatie too short', { bronorganisatie: '1234' }, 'bronorganisatie', 'invalid-length'],
    ['bronorganisatie letters', { bronorganisatie: 'abc' }, 'bronorganisatie', 'only-digits'],
    ['a filter that is not text', { achternaam: { a: 'b' } }, 'achternaam', 'invalid'],
  ])('%s', (_name, query, name, code) => {
    const result = validateListQuery(query);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.invalidParams.map(({ name: n, code: c }) => ({ name: n, code: c }))).toEqual([{ name, code }]);
      expect(result.invalidParams[0]?.reason).not.toBe('');
    }
  });

  it('reports every bad parameter at once', () => {
    const result = validateListQuery({ page: '0', subjectType: 'x', subject: 'y' });
    expect(result.ok === false && result.invalidParams.map((p) => p.name)).toEqual(['page', 'subjectType', 'subject']);
  });
});
