import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { passesElevenTest, validateKlantBody } from '../../../src/klanten/schemas.ts';
import type { KlantBodyMode, KlantBodyOptions } from '../../../src/klanten/schemas.ts';

const base = { bronorganisatie: '002220647', klantnummer: '12345678', websiteUrl: 'https://www.example.nl' };
const np = (subjectIdentificatie: unknown) => ({ ...base, subjectType: 'natuurlijk_persoon', subjectIdentificatie });
const nnp = (subjectIdentificatie: unknown) => ({ ...base, subjectType: 'niet_natuurlijk_persoon', subjectIdentificatie });
const ves = (subjectIdentificatie: unknown) => ({ ...base, subjectType: 'vestiging', subjectIdentificatie });
const adres = (a: unknown) => ({ ...base, adres: a });
const verblijf = { aoaIdentificatie: '0363200000000001', gorOpenbareRuimteNaam: 'Dam' };
const s = (n: number) => 'x'.repeat(n);

function errorsOf(body: unknown, mode: KlantBodyMode = 'create', opts: KlantBodyOptions = {}): { name: string; code: string }[] {
  const result = validateKlantBody(body, mode, opts);
  if (result.ok) return [];
  for (const p of result.invalidParams) expect(p.reason.length, `${p.name} has a reason`).toBeGreaterThan(0);
  return result.invalidParams.map(({ name, code }) => ({ name, code }));
}

type Case = [string, unknown, { name: string; code: string }[], KlantBodyMode?, KlantBodyOptions?];

describe('validateKlantBody: top-level fields', () => {
  it.each<Case>([
    ['a minimal valid klant', base, []],
    ['not an object', [base], [{ name: 'nonFieldErrors', code: 'invalid' }]],
    ['null body', null, [{ name: 'nonFieldErrors', code: 'invalid' }]],
    ['bronorganisatie missing', { ...base, bronorganisatie: undefined }, [{ name: 'bronorganisatie', code: 'required' }]],
    ['bronorganisatie null', { ...base, bronorganisatie: null }, [{ name: 'bronorganisatie', code: 'null' }]],
    ['bronorganisatie ""', { ...base, bronorganisatie: '' }, [{ name: 'bronorganisatie', code: 'blank' }]],
    ['bronorganisatie a number', { ...base, bronorganisatie: 2220647 }, [{ name: 'bronorganisatie', code: 'invalid' }]],
    ['bronorganisatie letters', { ...base, bronorganisatie: '00222064a' }, [{ name: 'bronorganisatie', code: 'only-digits' }]],
    ['bronorganisatie 8 digits', { ...base, bronorganisatie: '12345678' }, [{ name: 'bronorganisatie', code: 'invalid-length' }]],
    ['bronorganisatie 10 digits', { ...base, bronorganisatie: '0022206470' }, [{ name: 'bronorganisatie', code: 'max_length' }]],
    ['bronorganisatie fails the 11-proef', { ...base, bronorganisatie: '123456789' }, [{ name: 'bronorganisatie', code: 'invalid' }]],
    ['klantnummer absent on create (kla-001 generates it)', { ...base, klantnummer: undefined }, []],
    ['klantnummer absent on create in strict mode', { ...base, klantnummer: undefined }, [{ name: 'klantnummer', code: 'required' }], 'create', { strict: true }],
    ['klantnummer absent on update', { ...base, klantnummer: undefined }, [{ name: 'klantnummer', code: 'required' }], 'update'],
    ['klantnummer ""', { ...base, klantnummer: '' }, [{ name: 'klantnummer', code: 'blank' }]],
    ['klantnummer too long', { ...base, klantnummer: s(9) }, [{ name: 'klantnummer', code: 'max_length' }]],
    ['websiteUrl missing', { ...base, websiteUrl: undefined }, [{ name: 'websiteUrl', code: 'required' }]],
    ['websiteUrl ""', { ...base, websiteUrl: '' }, [{ name: 'websiteUrl', code: 'blank' }]],
    ['websiteUrl not absolute', { ...base, websiteUrl: 'www.example.nl' }, [{ name: 'websiteUrl', code: 'invalid' }]],
    ['websiteUrl ftp', { ...base, websiteUrl: 'ftp://example.nl/x' }, [{ name: 'websiteUrl', code: 'invalid' }]],
    ['websiteUrl javascript:', { ...base, websiteUrl: 'javascript:alert(1)' }, [{ name: 'websiteUrl', code: 'invalid' }]],
    ['websiteUrl with a space', { ...base, websiteUrl: 'https://example.nl/a b' }, [{ name: 'websiteUrl', code: 'invalid' }]],
    ['websiteUrl over 1000', { ...base, websiteUrl: `https://example.nl/${s(990)}` }, [{ name: 'websiteUrl', code: 'max_length' }]],
    ['bedrijfsnaam over 200', { ...base, bedrijfsnaam: s(201) }, [{ name: 'bedrijfsnaam', code: 'max_length' }]],
    ['functie over 200', { ...base, functie: s(201) }, [{ name: 'functie', code: 'max_length' }]],
    ['voornaam over 200', { ...base, voornaam: s(201) }, [{ name: 'voornaam', code: 'max_length' }]],
    ['voornaam null', { ...base, voornaam: null }, [{ name: 'voornaam', code: 'null' }]],
    ['voorvoegselAchternaam over 10', { ...base, voorvoegselAchternaam: s(11) }, [{ name: 'voorvoegselAchternaam', code: 'max_length' }]],
    ['achternaam over 200', { ...base, achternaam: s(201) }, [{ name: 'achternaam', code: 'max_length' }]],
    ['achternaam a number', { ...base, achternaam: 5 }, [{ name: 'achternaam', code: 'invalid' }]],
    ['telefoonnummer over 20', { ...base, telefoonnummer: s(21) }, [{ name: 'telefoonnummer', code: 'max_length' }]],
    ['emailadres not an address', { ...base, emailadres: 'jan.example.nl' }, [{ name: 'emailadres', code: 'invalid' }]],
    ['emailadres over 254', { ...base, emailadres: `${s(250)}@a.nl` }, [{ name: 'emailadres', code: 'max_length' }]],
    ['emailadres ""', { ...base, emailadres: '' }, []],
    ['subject relative', { ...base, subject: '/api/v1/personen/1' }, [{ name: 'subject', code: 'invalid' }]],
    ['subject ""', { ...base, subject: '' }, []],
    ['subject over 1000', { ...base, subject: `https://example.nl/${s(990)}` }, [{ name: 'subject', code: 'max_length' }]],
    ['subjectType unknown', { ...base, subjectType: 'bedrijf' }, [{ name: 'subjectType', code: 'invalid_choice' }]],
    ['subjectType null', { ...base, subjectType: null }, []],
    ['several errors at once', { ...base, bronorganisatie: '', voornaam: s(201), subjectType: 'x' }, [
      { name: 'bronorganisatie', code: 'blank' },
      { name: 'voornaam', code: 'max_length' },
      { name: 'subjectType', code: 'invalid_choice' },
    ]],
  ])('%s', (_name, body, expected, mode = 'create', opts = {}) => {
    expect(errorsOf(body, mode, opts)).toEqual(expected);
  });
});

describe('validateKlantBody: unknown fields and url', () => {
  it.each<Case>([
    ['unknown field rejected by default', { ...base, geheim: 1 }, [{ name: 'geheim', code: 'unknown_field' }]],
    ['unknown nested field rejected', adres({ straatnaam: 'Dam', stad: 'x' }), [{ name: 'adres.stad', code: 'unknown_field' }]],
    ['unknown field in subjectIdentificatie', np({ handelsnaam: ['x'] }), [{ name: 'subjectIdentificatie.handelsnaam', code: 'unknown_field' }]],
    ['verblijfsadres is not a niet_natuurlijk_persoon field', nnp({ verblijfsadres: verblijf }), [{ name: 'subjectIdentificatie.verblijfsadres', code: 'unknown_field' }]],
    ['unknown fields ignored on request', { ...base, geheim: 1, adres: { stad: 'x' } }, [], 'create', { unknownFields: 'ignore' }],
    ['url is read-only: accepted whatever it is', { ...base, url: 12 }, []],
  ])('%s', (_name, body, expected, mode = 'create', opts = {}) => {
    expect(errorsOf(body, mode, opts)).toEqual(expected);
  });

  it('drops url and ignored unknown fields from the value', () => {
    const result = validateKlantBody({ ...base, url: 'https://x', geheim: 1, adres: { stad: 'x' } }, 'create', { unknownFields: 'ignore' });
    expect(result.ok && result.value).toEqual({ ...base, adres: { straatnaam: '', huisnummer: null, huisletter: '', huisnummertoevoeging: '', postcode: '', woonplaatsnaam: '', landcode: '' } });
  });
});

describe('validateKlantBody: adres', () => {
  it.each<Case>([
    ['adres null', adres(null), []],
    ['adres a string', adres('Dam 1'), [{ name: 'adres', code: 'invalid' }]],
    ['straatnaam over 100', adres({ straatnaam: s(101) }), [{ name: 'adres.straatnaam', code: 'max_length' }]],
    ['huisnummer null', adres({ huisnummer: null }), []],
    ['huisnummer negative', adres({ huisnummer: -1 }), [{ name: 'adres.huisnummer', code: 'min_value' }]],
    ['huisnummer over 99999', adres({ huisnummer: 100000 }), [{ name: 'adres.huisnummer', code: 'max_value' }]],
    ['huisnummer a fraction', adres({ huisnummer: 1.5 }), [{ name: 'adres.huisnummer', code: 'invalid' }]],
    ['huisnummer a string', adres({ huisnummer: '12' }), [{ name: 'adres.huisnummer', code: 'invalid' }]],
    ['huisletter over 1', adres({ huisletter: 'ab' }), [{ name: 'adres.huisletter', code: 'max_length' }]],
    ['huisnummertoevoeging over 4', adres({ huisnummertoevoeging: s(5) }), [{ name: 'adres.huisnummertoevoeging', code: 'max_length' }]],
    ['postcode over 7', adres({ postcode: '1234 ABC' }), [{ name: 'adres.postcode', code: 'max_length' }]],
    ['woonplaatsnaam over 80', adres({ woonplaatsnaam: s(81) }), [{ name: 'adres.woonplaatsnaam', code: 'max_length' }]],
    ['landcode over 4', adres({ landcode: s(5) }), [{ name: 'adres.landcode', code: 'max_length' }]],
  ])('%s', (_name, body, expected) => {
    expect(errorsOf(body)).toEqual(expected);
  });
});

describe('validateKlantBody: subjectIdentificatie by subjectType', () => {
  it.each<Case>([
    ['natuurlijk_persoon, complete', np({ inpBsn: '111222333', inpANummer: '1234567890', geslachtsaanduiding: 'v', verblijfsadres: verblijf, subVerblijfBuitenland: { lndLandcode: '6030', lndLandnaam: 'Nederland' } }), []],
    ['subjectIdentificatie null', np(null), []],
    ['subjectIdentificatie without subjectType', { ...base, subjectIdentificatie: { inpBsn: '111222333' } }, [{ name: 'subjectType', code: 'required' }]],
    ['subjectIdentificatie with subjectType null', { ...base, subjectType: null, subjectIdentificatie: {} }, [{ name: 'subjectType', code: 'required' }]],
    ['subjectIdentificatie a string', np('111222333'), [{ name: 'subjectIdentificatie', code: 'invalid' }]],
    ['inpBsn fails the 11-proef', np({ inpBsn: '123456789' }), [{ name: 'subjectIdentificatie.inpBsn', code: 'invalid' }]],
    ['inpBsn 8 digits', np({ inpBsn: '12345678' }), [{ name: 'subjectIdentificatie.inpBsn', code: 'invalid-length' }]],
    ['inpBsn letters', np({ inpBsn: 'abc' }), [{ name: 'subjectIdentificatie.inpBsn', code: 'only-digits' }]],
    ['inpBsn ""', np({ inpBsn: '' }), []],
    ['inpANummer starting with 0', np({ inpANummer: '0123456789' }), [{ name: 'subjectIdentificatie.inpANummer', code: 'a-nummer-incorrect-format' }]],
    ['inpANummer too short', np({ inpANummer: '123' }), [{ name: 'subjectIdentificatie.inpANummer', code: 'a-nummer-incorrect-format' }]],
    ['inpANummer too long', np({ inpANummer: '12345678901' }), [{ name: 'subjectIdentificatie.inpANummer', code: 'max_length' }, { name: 'subjectIdentificatie.inpANummer', code: 'a-nummer-incorrect-format' }]],
    ['anpIdentificatie over 17', np({ anpIdentificatie: s(18) }), [{ name: 'subjectIdentificatie.anpIdentificatie', code: 'max_length' }]],
    ['geslachtsnaam over 200', np({ geslachtsnaam: s(201) }), [{ name: 'subjectIdentificatie.geslachtsnaam', code: 'max_length' }]],
    ['voorvoegselGeslachtsnaam over 80', np({ voorvoegselGeslachtsnaam: s(81) }), [{ name: 'subjectIdentificatie.voorvoegselGeslachtsnaam', code: 'max_length' }]],
    ['voorletters over 20', np({ voorletters: s(21) }), [{ name: 'subjectIdentificatie.voorletters', code: 'max_length' }]],
    ['voornamen over 200', np({ voornamen: s(201) }), [{ name: 'subjectIdentificatie.voornamen', code: 'max_length' }]],
    ['geslachtsaanduiding unknown', np({ geslachtsaanduiding: 'x' }), [{ name: 'subjectIdentificatie.geslachtsaanduiding', code: 'invalid_choice' }]],
    ['geslachtsaanduiding ""', np({ geslachtsaanduiding: '' }), []],
    ['geboortedatum is free text up to 18', np({ geboortedatum: '1 januari 1970' }), []],
    ['geboortedatum over 18', np({ geboortedatum: s(19) }), [{ name: 'subjectIdentificatie.geboortedatum', code: 'max_length' }]],
    ['verblijfsadres without its required members', np({ verblijfsadres: {} }), [
      { name: 'subjectIdentificatie.verblijfsadres.aoaIdentificatie', code: 'required' },
      { name: 'subjectIdentificatie.verblijfsadres.gorOpenbareRuimteNaam', code: 'required' },
    ]],
    ['verblijfsadres null', np({ verblijfsadres: null }), []],
    ['aoaIdentificatie ""', np({ verblijfsadres: { ...verblijf, aoaIdentificatie: '' } }), [{ name: 'subjectIdentificatie.verblijfsadres.aoaIdentificatie', code: 'blank' }]],
    ['aoaIdentificatie over 100', np({ verblijfsadres: { ...verblijf, aoaIdentificatie: s(101) } }), [{ name: 'subjectIdentificatie.verblijfsadres.aoaIdentificatie', code: 'max_length' }]],
    ['wplWoonplaatsNaam over 80', np({ verblijfsadres: { ...verblijf, wplWoonplaatsNaam: s(81) } }), [{ name: 'subjectIdentificatie.verblijfsadres.wplWoonplaatsNaam', code: 'max_length' }]],
    ['gorOpenbareRuimteNaam over 80', np({ verblijfsadres: { ...verblijf, gorOpenbareRuimteNaam: s(81) } }), [{ name: 'subjectIdentificatie.verblijfsadres.gorOpenbareRuimteNaam', code: 'max_length' }]],
    ['aoaPostcode over 7', np({ verblijfsadres: { ...verblijf, aoaPostcode: s(8) } }), [{ name: 'subjectIdentificatie.verblijfsadres.aoaPostcode', code: 'max_length' }]],
    ['aoaHuisnummer over 99999', np({ verblijfsadres: { ...verblijf, aoaHuisnummer: 100000 } }), [{ name: 'subjectIdentificatie.verblijfsadres.aoaHuisnummer', code: 'max_value' }]],
    ['aoaHuisnummer negative', np({ verblijfsadres: { ...verblijf, aoaHuisnummer: -1 } }), [{ name: 'subjectIdentificatie.verblijfsadres.aoaHuisnummer', code: 'min_value' }]],
    ['aoaHuisletter over 1', np({ verblijfsadres: { ...verblijf, aoaHuisletter: 'ab' } }), [{ name: 'subjectIdentificatie.verblijfsadres.aoaHuisletter', code: 'max_length' }]],
    ['aoaHuisnummertoevoeging over 4', np({ verblijfsadres: { ...verblijf, aoaHuisnummertoevoeging: s(5) } }), [{ name: 'subjectIdentificatie.verblijfsadres.aoaHuisnummertoevoeging', code: 'max_length' }]],
    ['inpLocatiebeschrijving over 1000', np({ verblijfsadres: { ...verblijf, inpLocatiebeschrijving: s(1001) } }), [{ name: 'subjectIdentificatie.verblijfsadres.inpLocatiebeschrijving', code: 'max_length' }]],
    ['subVerblijfBuitenland without its required members', np({ subVerblijfBuitenland: {} }), [
      { name: 'subjectIdentificatie.subVerblijfBuitenland.lndLandcode', code: 'required' },
      { name: 'subjectIdentificatie.subVerblijfBuitenland.lndLandnaam', code: 'required' },
    ]],
    ['lndLandcode over 4', np({ subVerblijfBuitenland: { lndLandcode: s(5), lndLandnaam: 'X' } }), [{ name: 'subjectIdentificatie.subVerblijfBuitenland.lndLandcode', code: 'max_length' }]],
    ['lndLandnaam over 40', np({ subVerblijfBuitenland: { lndLandcode: '5010', lndLandnaam: s(41) } }), [{ name: 'subjectIdentificatie.subVerblijfBuitenland.lndLandnaam', code: 'max_length' }]],
    ['lndLandnaam ""', np({ subVerblijfBuitenland: { lndLandcode: '5010', lndLandnaam: '' } }), [{ name: 'subjectIdentificatie.subVerblijfBuitenland.lndLandnaam', code: 'blank' }]],
    ['subAdresBuitenland1 over 35', np({ subVerblijfBuitenland: { lndLandcode: '5010', lndLandnaam: 'België', subAdresBuitenland1: s(36) } }), [{ name: 'subjectIdentificatie.subVerblijfBuitenland.subAdresBuitenland1', code: 'max_length' }]],
    ['niet_natuurlijk_persoon, complete', nnp({ innNnpId: '002220647', innRechtsvorm: 'stichting', statutaireNaam: 'S', subVerblijfBuitenland: null }), []],
    ['innNnpId fails the 11-proef', nnp({ innNnpId: '123456789' }), [{ name: 'subjectIdentificatie.innNnpId', code: 'invalid' }]],
    ['annIdentificatie over 17', nnp({ annIdentificatie: s(18) }), [{ name: 'subjectIdentificatie.annIdentificatie', code: 'max_length' }]],
    ['statutaireNaam over 500', nnp({ statutaireNaam: s(501) }), [{ name: 'subjectIdentificatie.statutaireNaam', code: 'max_length' }]],
    ['innRechtsvorm unknown', nnp({ innRechtsvorm: 'bv' }), [{ name: 'subjectIdentificatie.innRechtsvorm', code: 'invalid_choice' }]],
    ['innRechtsvorm ""', nnp({ innRechtsvorm: '' }), []],
    ['bezoekadres over 1000', nnp({ bezoekadres: s(1001) }), [{ name: 'subjectIdentificatie.bezoekadres', code: 'max_length' }]],
    ['vestiging, complete', ves({ vestigingsNummer: '000012345678', handelsnaam: ['Bakkerij', 'Jansen'], verblijfsadres: verblijf }), []],
    ['vestigingsNummer over 24', ves({ vestigingsNummer: s(25) }), [{ name: 'subjectIdentificatie.vestigingsNummer', code: 'max_length' }]],
    ['handelsnaam not a list', ves({ handelsnaam: 'Bakkerij' }), [{ name: 'subjectIdentificatie.handelsnaam', code: 'not_a_list' }]],
    ['handelsnaam item not text', ves({ handelsnaam: ['a', 5] }), [{ name: 'subjectIdentificatie.handelsnaam.1', code: 'invalid' }]],
    ['handelsnaam item over 625', ves({ handelsnaam: [s(626)] }), [{ name: 'subjectIdentificatie.handelsnaam.0', code: 'max_length' }]],
    ['natuurlijk_persoon fields under vestiging', ves({ inpBsn: '111222333' }), [{ name: 'subjectIdentificatie.inpBsn', code: 'unknown_field' }]],
  ])('%s', (_name, body, expected) => {
    expect(errorsOf(body)).toEqual(expected);
  });

  it('fills the chosen group completely on create / update', () => {
    const result = validateKlantBody(ves({ handelsnaam: ['B'] }), 'update');
    expect(result.ok && result.value.subjectIdentificatie).toEqual({ vestigingsNummer: '', handelsnaam: ['B'], verblijfsadres: null, subVerblijfBuitenland: null });
    const persoon = validateKlantBody(np({ verblijfsadres: verblijf }), 'create');
    expect(persoon.ok && persoon.value.subjectIdentificatie).toEqual({
      inpBsn: '',
      anpIdentificatie: '',
      inpANummer: '',
      geslachtsnaam: '',
      voorvoegselGeslachtsnaam: '',
      voorletters: '',
      voornamen: '',
      geslachtsaanduiding: '',
      geboortedatum: '',
      verblijfsadres: { ...verblijf, wplWoonplaatsNaam: '', aoaPostcode: '', aoaHuisnummer: null, aoaHuisletter: '', aoaHuisnummertoevoeging: '', inpLocatiebeschrijving: '' },
      subVerblijfBuitenland: null,
    });
  });
});

describe('validateKlantBody: update and partial update', () => {
  it.each<Case>([
    ['PUT needs the required fields', { voornaam: 'Jan' }, [
      { name: 'bronorganisatie', code: 'required' },
      { name: 'klantnummer', code: 'required' },
      { name: 'websiteUrl', code: 'required' },
    ], 'update'],
    ['PATCH needs nothing', {}, [], 'partial'],
    ['PATCH still checks what is given', { bronorganisatie: '', adres: { huisnummer: -1 } }, [
      { name: 'bronorganisatie', code: 'blank' },
      { name: 'adres.huisnummer', code: 'min_value' },
    ], 'partial'],
    ['PATCH does not require group members', np({ verblijfsadres: { aoaHuisnummer: 5 } }), [], 'partial'],
    ['PATCH subjectIdentificatie uses the stored subjectType', { subjectIdentificatie: { handelsnaam: 'x' } }, [{ name: 'subjectIdentificatie.handelsnaam', code: 'not_a_list' }], 'partial', { currentSubjectType: 'vestiging' }],
    ['PATCH subjectIdentificatie without any subjectType', { subjectIdentificatie: { handelsnaam: ['x'] } }, [{ name: 'subjectType', code: 'required' }], 'partial', { currentSubjectType: null }],
    ['PUT subjectIdentificatie uses the stored subjectType', { ...base, subjectIdentificatie: { inpANummer: '1' } }, [{ name: 'subjectIdentificatie.inpANummer', code: 'a-nummer-incorrect-format' }], 'update', { currentSubjectType: 'natuurlijk_persoon' }],
    ['changing subjectType is refused', { subjectType: 'vestiging' }, [{ name: 'subjectType', code: 'wijzigen-niet-toegelaten' }], 'partial', { currentSubjectType: 'natuurlijk_persoon' }],
    ['setting a subjectType on a klant without one is refused', { ...base, subjectType: 'vestiging' }, [{ name: 'subjectType', code: 'wijzigen-niet-toegelaten' }], 'update', { currentSubjectType: null }],
    ['the same subjectType is fine', { subjectType: 'vestiging' }, [], 'partial', { currentSubjectType: 'vestiging' }],
    ['without a stored subjectType nothing is compared', { subjectType: 'vestiging' }, [], 'partial'],
    ['create ignores currentSubjectType', np({}), [], 'create', { currentSubjectType: 'vestiging' }],
  ])('%s', (_name, body, expected, mode = 'create', opts = {}) => {
    expect(errorsOf(body, mode, opts)).toEqual(expected);
  });

  it('returns a PATCH body sparse, at every depth', () => {
    const result = validateKlantBody({ voornaam: 'Jan', subjectIdentificatie: { verblijfsadres: { aoaHuisnummer: 5 } } }, 'partial', {
      currentSubjectType: 'natuurlijk_persoon',
    });
    expect(result).toEqual({ ok: true, value: { voornaam: 'Jan', subjectIdentificatie: { verblijfsadres: { aoaHuisnummer: 5 } } } });
  });

  it('returns only the top-level fields given on update', () => {
    const result = validateKlantBody({ ...base, voornaam: 'Jan' }, 'update');
    expect(result).toEqual({ ok: true, value: { ...base, voornaam: 'Jan' } });
  });
});

describe('validateKlantBody on arbitrary input', () => {
  it('never throws and always explains a refusal', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.record({ subjectType: fc.constantFrom('natuurlijk_persoon', 'vestiging', null), subjectIdentificatie: fc.jsonValue() })), (body) => {
        for (const mode of ['create', 'update', 'partial'] as const) {
          const result = validateKlantBody(body, mode);
          if (!result.ok) expect(result.invalidParams.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('passesElevenTest', () => {
  it.each([
    ['002220647', true],
    ['111222333', true],
    ['123456782', true],
    ['123456789', false],
    ['12345678', false],
    ['12345678a', false],
  ])('%s → %s', (value, valid) => {
    expect(passesElevenTest(value)).toBe(valid);
  });
});

describe('prototype keys', () => {
  it.each(['__proto__', 'constructor', 'prototype'])('refuses %s at any depth, even when unknown fields are ignored', async (key) => {
    const { validateKlantBody } = await import('../../../src/klanten/schemas.ts');
    for (const raw of [`{"${key}": {"x": 1}}`, `{"adres": {"${key}": 1}}`]) {
      for (const unknownFields of ['reject', 'ignore'] as const) {
        const r = validateKlantBody(JSON.parse(raw), 'partial', { unknownFields });
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.invalidParams[0]).toMatchObject({ code: 'unknown_field' });
      }
    }
  });
});
