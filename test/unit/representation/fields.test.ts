// Every scenario of Haal-Centraal-common fields.feature (basic + extended variant) and the relevant
// BRP bevragen fields scenarios, translated to the Klant resource where Klant has the structure,
// and run literally against the feature's own zakelijkgerechtigden schema where it does not
// (Klant has no ambiguous names, no _links and no name that is both a root field and a suffix).
// Not applicable to Klant (no expand/_embedded in the Klanten API): "Gebruik van de fields parameter
// heeft geen invloed op embedded sub-resources", "Gebruik van de expand parameter heeft geen invloed
// op de inhoud van de resource", "Vragen van specifieke velden met de expand parameter ...";
// BRP-only rules (inOnderzoek, geheimhouding, opschorting, polymorphic `type`) have no Klant
// counterpart except "always returned", which is `url` here. Deviation from BRP 2.x: `fields` is
// optional and an empty value means every field (common fields.feature), and `url` may be asked for.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KlantData } from '../../../src/domain/klant.ts';
import {
  applyFields,
  applyFieldsToItems,
  canonicalFieldsKey,
  compileFieldsSchema,
  parseFields,
} from '../../../src/representation/fields.ts';
import type { FieldsSchema } from '../../../src/representation/fields.ts';
import { KLANT_FIELD_PATHS, KLANT_FIELDS_SCHEMA } from '../../../src/representation/klant-field-paths.ts';

type KlantJson = KlantData & { url: string };

const persoon: KlantJson = {
  url: 'https://gw.example/api/v1/klanten/5b5c4d8a-0000-4000-8000-000000000001',
  bronorganisatie: '123456782',
  klantnummer: '1001',
  bedrijfsnaam: '',
  functie: '',
  websiteUrl: 'https://www.example.org',
  voornaam: 'Yvonne',
  voorvoegselAchternaam: '',
  achternaam: 'Kierkegaard',
  telefoonnummer: '0612345678',
  emailadres: 'y@example.org',
  adres: {
    straatnaam: 'Boterdiep',
    huisnummer: 31,
    huisletter: '',
    huisnummertoevoeging: '',
    postcode: '3077AW',
    woonplaatsnaam: 'Rotterdam',
    landcode: '6030',
  },
  subject: '',
  subjectType: 'natuurlijk_persoon',
  subjectIdentificatie: {
    inpBsn: '999993653',
    anpIdentificatie: '',
    inpANummer: '',
    geslachtsnaam: 'Kierkegaard',
    voorvoegselGeslachtsnaam: '',
    voorletters: 'Y.J.',
    voornamen: 'Yvonne Johanna',
    geslachtsaanduiding: 'v',
    geboortedatum: '1956-11-15',
    verblijfsadres: {
      aoaIdentificatie: '0599200000219679',
      wplWoonplaatsNaam: 'Rotterdam',
      gorOpenbareRuimteNaam: 'Boterdiep',
      aoaPostcode: '3077AW',
      aoaHuisnummer: 31,
      aoaHuisletter: '',
      aoaHuisnummertoevoeging: '',
      inpLocatiebeschrijving: '',
    },
    subVerblijfBuitenland: null,
  },
};

// Lives abroad: no contact address, no verblijfsadres.
const buitenland: KlantJson = {
  ...persoon,
  url: 'https://gw.example/api/v1/klanten/5b5c4d8a-0000-4000-8000-000000000002',
  klantnummer: '1002',
  adres: null,
  subjectIdentificatie: {
    ...(persoon.subjectIdentificatie as Extract<KlantData['subjectIdentificatie'], { inpBsn: string }>),
    verblijfsadres: null,
    subVerblijfBuitenland: {
      lndLandcode: '5002',
      lndLandnaam: 'Frankrijk',
      subAdresBuitenland1: '14 Rue Camulogene',
      subAdresBuitenland2: '75015 Parijs',
      subAdresBuitenland3: '',
    },
  },
};

const bedrijf: KlantJson = {
  ...persoon,
  url: 'https://gw.example/api/v1/klanten/5b5c4d8a-0000-4000-8000-000000000003',
  klantnummer: '1003',
  bedrijfsnaam: 'Kierkegaard BV',
  subjectType: 'niet_natuurlijk_persoon',
  subjectIdentificatie: {
    innNnpId: '123456782',
    annIdentificatie: '',
    statutaireNaam: 'Kierkegaard B.V.',
    innRechtsvorm: 'besloten_vennootschap',
    bezoekadres: 'Boterdiep 31 Rotterdam',
    subVerblijfBuitenland: null,
  },
};

const zonderSubject: KlantJson = { ...persoon, subjectType: null, subjectIdentificatie: null };

function fieldsOf(value: string | undefined, schema: FieldsSchema = KLANT_FIELDS_SCHEMA): readonly string[] | undefined {
  const result = parseFields(value, schema);
  if (!result.ok) throw new Error(`unexpected error: ${JSON.stringify(result.invalidParams)}`);
  return result.paths;
}

function reasonsOf(value: string, schema: FieldsSchema = KLANT_FIELDS_SCHEMA): string[] {
  const result = parseFields(value, schema);
  if (result.ok) throw new Error(`expected an error for ${JSON.stringify(value)}`);
  for (const p of result.invalidParams) {
    expect(p.name).toBe('fields');
    expect(p.code).toBe('fields');
  }
  return result.invalidParams.map((p) => p.reason);
}

describe('fields.feature (basic variant) on Klant', () => {
  const cases: {
    scenario: string;
    fields: string | undefined;
    klant: KlantJson;
    expected: Record<string, unknown> | 'all';
  }[] = [
    { scenario: 'De fields-parameter is niet opgenomen', fields: undefined, klant: persoon, expected: 'all' },
    { scenario: 'Lege fields parameter geeft alle attributen', fields: '', klant: persoon, expected: 'all' },
    {
      scenario: 'Slechts één enkel attribuut wordt gevraagd (url = self link always returned)',
      fields: 'telefoonnummer',
      klant: persoon,
      expected: { url: persoon.url, telefoonnummer: '0612345678' },
    },
    {
      scenario: 'Meerdere attributen worden gevraagd (output in property order, not request order)',
      fields: 'emailadres,bronorganisatie,klantnummer',
      klant: persoon,
      expected: { url: persoon.url, bronorganisatie: '123456782', klantnummer: '1001', emailadres: 'y@example.org' },
    },
    {
      scenario: 'Hele groep wordt gevraagd',
      fields: 'klantnummer,adres',
      klant: persoon,
      expected: { url: persoon.url, klantnummer: '1001', adres: persoon.adres },
    },
    {
      scenario: 'Een of enkele attributen binnen een groep worden gevraagd',
      fields: 'adres.postcode,adres.huisnummer',
      klant: persoon,
      expected: { url: persoon.url, adres: { huisnummer: 31, postcode: '3077AW' } },
    },
    {
      scenario: 'Relaties (links) vragen: the relation of a Klant is `subject`; self (`url`) still returned',
      fields: 'klantnummer,subject',
      klant: persoon,
      expected: { url: persoon.url, klantnummer: '1001', subject: '' },
    },
    {
      scenario: 'Fields vraagt om een groep, niet alle attributen aanwezig (NNP has no inpBsn etc.)',
      fields: 'subjectIdentificatie',
      klant: bedrijf,
      expected: { url: bedrijf.url, subjectIdentificatie: bedrijf.subjectIdentificatie },
    },
    {
      scenario: 'Fields vraagt specifiek om een gegeven dat niet aanwezig is',
      fields: 'subjectIdentificatie.inpBsn,subjectIdentificatie.statutaireNaam',
      klant: bedrijf,
      expected: { url: bedrijf.url, subjectIdentificatie: { statutaireNaam: 'Kierkegaard B.V.' } },
    },
    {
      scenario: 'Fields bevat attributen die geen waarde hebben (buitenland): null group kept as rendered',
      fields: 'adres.postcode,adres.huisnummer',
      klant: buitenland,
      expected: { url: buitenland.url, adres: null },
    },
    {
      scenario: 'Fields bevat attributen die geen waarde hebben: nested null group kept as rendered',
      fields: 'subjectIdentificatie.verblijfsadres.aoaPostcode',
      klant: buitenland,
      expected: { url: buitenland.url, subjectIdentificatie: { verblijfsadres: null } },
    },
    {
      scenario: 'subjectIdentificatie null (no subject): null kept',
      fields: 'inpBsn',
      klant: zonderSubject,
      expected: { url: zonderSubject.url, subjectIdentificatie: null },
    },
    {
      scenario: 'empty string values are values of this API and are returned',
      fields: 'bedrijfsnaam,voorvoegselAchternaam',
      klant: persoon,
      expected: { url: persoon.url, bedrijfsnaam: '', voorvoegselAchternaam: '' },
    },
    {
      scenario: 'url asked for explicitly: only url',
      fields: 'url',
      klant: persoon,
      expected: { url: persoon.url },
    },
    {
      scenario: 'group and a field inside it: the whole group',
      fields: 'adres.postcode,adres',
      klant: persoon,
      expected: { url: persoon.url, adres: persoon.adres },
    },
    {
      scenario: 'duplicates are harmless',
      fields: 'klantnummer,klantnummer',
      klant: persoon,
      expected: { url: persoon.url, klantnummer: '1001' },
    },
  ];

  it.each(cases)('$scenario: fields=$fields', ({ fields, klant, expected }) => {
    const paths = fieldsOf(fields);
    const out = applyFields(klant, paths);
    if (expected === 'all') {
      expect(paths).toBeUndefined();
      expect(out).toEqual(klant);
      return;
    }
    expect(out).toEqual(expected);
    // Property order is the original's.
    expect(Object.keys(out)).toEqual(Object.keys(klant).filter((k) => k in expected));
    // A new object; the original is untouched.
    expect(out).not.toBe(klant);
  });

  it('keeps nested property order of the original', () => {
    const out = applyFields(persoon, fieldsOf('adres.woonplaatsnaam,adres.straatnaam,adres.postcode')) as KlantJson;
    expect(Object.keys(out.adres ?? {})).toEqual(['straatnaam', 'postcode', 'woonplaatsnaam']);
  });

  it('does not mutate the input and shares nothing it should not', () => {
    const copy = structuredClone(persoon);
    const out = applyFields(persoon, fieldsOf('adres.postcode')) as KlantJson;
    expect(persoon).toEqual(copy);
    expect(out.adres).not.toBe(persoon.adres);
  });

  it('gebruik fields in een collectie: names are the items\u2019 own (applyFieldsToItems)', () => {
    const page = [persoon, buitenland, bedrijf];
    const out = applyFieldsToItems(page, fieldsOf('klantnummer,bronorganisatie'));
    expect(out).toEqual(page.map((k) => ({ url: k.url, bronorganisatie: k.bronorganisatie, klantnummer: k.klantnummer })));
    expect(applyFieldsToItems(page, undefined)).toEqual(page);
  });

  const errors: { scenario: string; fields: string; reason: RegExp; count?: number }[] = [
    { scenario: 'Fields parameter met attribuutnaam die niet bestaat', fields: 'bronorganisatie,klantnummer,bestaatniet', reason: /niet bestaande veldnaam: bestaatniet\./ },
    { scenario: 'Fields parameter met attribuutnaam met onjuist case', fields: 'BronOrganisatie', reason: /niet bestaande veldnaam: BronOrganisatie/ },
    { scenario: 'Fields parameter met attribuutnaam met onjuist case (short name)', fields: 'inpbsn', reason: /niet bestaande veldnaam: inpbsn/ },
    { scenario: 'Met fields vragen om attributen uit een subresource/collectie-omhulsel', fields: 'results.klantnummer', reason: /niet bestaande veldnaam: results\.klantnummer/ },
    { scenario: 'collection wrapper name', fields: 'results', reason: /niet bestaande veldnaam: results/ },
    { scenario: 'a non-trailing part of a path is not a field', fields: 'subjectIdentificatie.verblijfsadres.aoaPostcode.x', reason: /niet bestaande veldnaam/ },
    { scenario: 'a leading part of a path without its root is not a field', fields: 'verblijfsadres.aoa', reason: /niet bestaande veldnaam/ },
  ];

  it.each(errors)('$scenario: fields=$fields → 400', ({ fields, reason }) => {
    const reasons = reasonsOf(fields);
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(reason);
  });
});

describe('fields.feature extended variant on Klant (short names)', () => {
  const cases: { fields: string; resolved: string[]; klant: KlantJson; expected: Record<string, unknown> }[] = [
    {
      // opvragen veld met fields door opgeven exacte veld in resource
      fields: 'klantnummer',
      resolved: ['klantnummer'],
      klant: persoon,
      expected: { url: persoon.url, klantnummer: '1001' },
    },
    {
      // ... door opgeven hele pad naar het veld
      fields: 'subjectIdentificatie.verblijfsadres.aoaPostcode',
      resolved: ['subjectIdentificatie.verblijfsadres.aoaPostcode'],
      klant: persoon,
      expected: { url: persoon.url, subjectIdentificatie: { verblijfsadres: { aoaPostcode: '3077AW' } } },
    },
    {
      // ... door opgeven laatste deel van het pad naar het veld
      fields: 'verblijfsadres.aoaPostcode',
      resolved: ['subjectIdentificatie.verblijfsadres.aoaPostcode'],
      klant: persoon,
      expected: { url: persoon.url, subjectIdentificatie: { verblijfsadres: { aoaPostcode: '3077AW' } } },
    },
    {
      // ... door opgeven alleen de unieke naam van een veld
      fields: 'inpBsn',
      resolved: ['subjectIdentificatie.inpBsn'],
      klant: persoon,
      expected: { url: persoon.url, subjectIdentificatie: { inpBsn: '999993653' } },
    },
    {
      // ... alleen de unieke naam van een groep → whole group
      fields: 'verblijfsadres',
      resolved: ['subjectIdentificatie.verblijfsadres'],
      klant: persoon,
      expected: { url: persoon.url, subjectIdentificatie: { verblijfsadres: (persoon.subjectIdentificatie as { verblijfsadres: unknown }).verblijfsadres } },
    },
    {
      // the union over the three variants: one path, present in every variant
      fields: 'lndLandcode,lndLandnaam',
      resolved: ['subjectIdentificatie.subVerblijfBuitenland.lndLandcode', 'subjectIdentificatie.subVerblijfBuitenland.lndLandnaam'],
      klant: buitenland,
      expected: { url: buitenland.url, subjectIdentificatie: { subVerblijfBuitenland: { lndLandcode: '5002', lndLandnaam: 'Frankrijk' } } },
    },
    {
      // a name of another variant is known (schema-wide), absent in this object → parent omitted
      fields: 'klantnummer,statutaireNaam',
      resolved: ['klantnummer', 'subjectIdentificatie.statutaireNaam'],
      klant: persoon,
      expected: { url: persoon.url, klantnummer: '1001' },
    },
    {
      fields: 'statutaireNaam,handelsnaam',
      resolved: ['subjectIdentificatie.statutaireNaam', 'subjectIdentificatie.handelsnaam'],
      klant: bedrijf,
      expected: { url: bedrijf.url, subjectIdentificatie: { statutaireNaam: 'Kierkegaard B.V.' } },
    },
    {
      // `landcode` is adres.landcode only: matching is by whole segments (not lndLandcode)
      fields: 'landcode,postcode',
      resolved: ['adres.landcode', 'adres.postcode'],
      klant: persoon,
      expected: { url: persoon.url, adres: { postcode: '3077AW', landcode: '6030' } },
    },
    {
      // short and full names of one field: one path
      fields: 'inpBsn,subjectIdentificatie.inpBsn',
      resolved: ['subjectIdentificatie.inpBsn'],
      klant: persoon,
      expected: { url: persoon.url, subjectIdentificatie: { inpBsn: '999993653' } },
    },
  ];

  it.each(cases)('fields=$fields', ({ fields, resolved, klant, expected }) => {
    expect(fieldsOf(fields)).toEqual(resolved);
    expect(applyFields(klant, fieldsOf(fields))).toEqual(expected);
  });

  it('vestiging: array of strings is a leaf', () => {
    const vestiging: KlantJson = {
      ...persoon,
      subjectType: 'vestiging',
      subjectIdentificatie: { vestigingsNummer: '000012345678', handelsnaam: ['A', 'B'], verblijfsadres: null, subVerblijfBuitenland: null },
    };
    expect(applyFields(vestiging, fieldsOf('handelsnaam'))).toEqual({ url: vestiging.url, subjectIdentificatie: { handelsnaam: ['A', 'B'] } });
  });

  it('the Klant schema has no ambiguous short name: every leaf name resolves to one path', () => {
    for (const path of KLANT_FIELD_PATHS) {
      const last = path.slice(path.lastIndexOf('.') + 1);
      expect(fieldsOf(last)).toEqual([path]);
    }
  });
});

// The feature's own Achtergrond, literally.
const ZAKELIJK_GERECHTIGDE = compileFieldsSchema([
  'identificatie',
  'aanvangsdatum',
  'erfpachtCanon.soortErfpachtCanon.code',
  'erfpachtCanon.soortErfpachtCanon.waarde',
  'erfpachtCanon.jaarlijksBedrag.som',
  'erfpachtCanon.jaarlijksBedrag.valuta.code',
  'erfpachtCanon.jaarlijksBedrag.valuta.waarde',
  'tenaamstelling.aandeel.noemer',
  'tenaamstelling.aandeel.teller',
  'tenaamstelling.aantekeningen.identificatie',
  'tenaamstelling.gezamenlijkAandeel.noemer',
  'tenaamstelling.gezamenlijkAandeel.teller',
  'persoon.identificatie',
  'persoon.omschrijving',
  'persoon.type',
  '_links.self',
  '_links.persoon',
  '_links.betrokkenPartner',
]);

const zg = {
  identificatie: 'NL.IMKAD.ZakelijkGerecht.1',
  aanvangsdatum: '2014-09-22',
  erfpachtCanon: { soortErfpachtCanon: { code: '1', waarde: 'afgekocht' }, jaarlijksBedrag: { som: 10, valuta: { code: 'EUR', waarde: 'Euro' } } },
  tenaamstelling: {
    aandeel: { noemer: 2, teller: 1 },
    aantekeningen: [{ identificatie: 'A1' }, { identificatie: 'A2' }, { anders: 'x' }],
    gezamenlijkAandeel: { noemer: 4, teller: 1 },
  },
  persoon: { identificatie: 'P1', omschrijving: 'Jan', type: 'natuurlijk persoon' },
  _links: { self: { href: '/zg/1' }, persoon: { href: '/personen/P1' }, betrokkenPartner: { href: '/personen/P2' } },
};

describe('fields.feature extended variant, Achtergrond zakelijkgerechtigden (literal)', () => {
  const cases: { scenario: string; fields: string; expected: Record<string, unknown> }[] = [
    { scenario: 'exacte veld in resource', fields: 'aanvangsdatum', expected: { aanvangsdatum: '2014-09-22' } },
    { scenario: 'hele pad naar het veld', fields: 'tenaamstelling.aandeel.noemer', expected: { tenaamstelling: { aandeel: { noemer: 2 } } } },
    { scenario: 'laatste deel van het pad', fields: 'aandeel.noemer', expected: { tenaamstelling: { aandeel: { noemer: 2 } } } },
    { scenario: 'alleen de unieke naam van een veld (groep)', fields: 'aandeel', expected: { tenaamstelling: { aandeel: { noemer: 2, teller: 1 } } } },
    { scenario: 'exacte naam die ook dieper voorkomt', fields: 'identificatie', expected: { identificatie: 'NL.IMKAD.ZakelijkGerecht.1' } },
    { scenario: 'property en link met dezelfde naam, property gevraagd', fields: 'persoon', expected: { persoon: zg.persoon } },
    { scenario: 'property en link met dezelfde naam, link gevraagd', fields: '_links.persoon', expected: { _links: { persoon: { href: '/personen/P1' } } } },
    { scenario: 'a unique short link name', fields: 'betrokkenPartner', expected: { _links: { betrokkenPartner: { href: '/personen/P2' } } } },
    {
      scenario: 'veld in een collectie (array of objects) per element; elements without it dropped',
      fields: 'aantekeningen.identificatie',
      expected: { tenaamstelling: { aantekeningen: [{ identificatie: 'A1' }, { identificatie: 'A2' }] } },
    },
    { scenario: 'deep unique suffix', fields: 'valuta.code', expected: { erfpachtCanon: { jaarlijksBedrag: { valuta: { code: 'EUR' } } } } },
  ];

  it.each(cases)('$scenario: fields=$fields', ({ fields, expected }) => {
    expect(applyFields(zg, fieldsOf(fields, ZAKELIJK_GERECHTIGDE))).toEqual(expected);
  });

  it('naam veld die meerdere keren voorkomt → 400 listing the candidates', () => {
    const [reason, ...rest] = reasonsOf('noemer', ZAKELIJK_GERECHTIGDE);
    expect(rest).toEqual([]);
    expect(reason).toContain('tenaamstelling.aandeel.noemer');
    expect(reason).toContain('tenaamstelling.gezamenlijkAandeel.noemer');
  });

  // BRP 2023-01 fields-fout-cases "opgegeven pad is niet uniek", translated to this schema.
  it.each([
    ['code', ['erfpachtCanon.soortErfpachtCanon.code', 'erfpachtCanon.jaarlijksBedrag.valuta.code']],
    ['waarde', ['erfpachtCanon.soortErfpachtCanon.waarde', 'erfpachtCanon.jaarlijksBedrag.valuta.waarde']],
    ['teller', ['tenaamstelling.aandeel.teller', 'tenaamstelling.gezamenlijkAandeel.teller']],
    ['self', []], // unique: resolves fine (control)
  ])('ambiguous short path %s', (fields, candidates) => {
    if (candidates.length === 0) {
      expect(fieldsOf(fields, ZAKELIJK_GERECHTIGDE)).toEqual(['_links.self']);
      return;
    }
    const [reason] = reasonsOf(`aanvangsdatum,${fields}`, ZAKELIJK_GERECHTIGDE);
    for (const c of candidates) expect(reason).toContain(c);
  });

  it('lists at most 3 candidates and says how many more', () => {
    const schema = compileFieldsSchema(['a.x', 'b.x', 'c.x', 'd.x', 'e.x']);
    const [reason] = reasonsOf('x', schema);
    expect(reason).toContain('a.x, b.x, c.x');
    expect(reason).not.toContain('d.x');
    expect(reason).toContain('2 meer');
  });
});

describe('BRP bevragen fout-cases (format of the value)', () => {
  // The feature's example is 201 characters; 200 is the limit.
  const long = 'bestaatookniet'.repeat(15).slice(0, 200);
  const cases: { scenario: string; fields: string; reasons: RegExp[] }[] = [
    { scenario: 'pad met * karakter', fields: 'a*nummer', reasons: [/Veldnaam 1 voldoet niet aan patroon/] },
    { scenario: 'pad met spaties', fields: 'burger service nummer', reasons: [/patroon/] },
    { scenario: 'lege string vooraan', fields: ',klantnummer', reasons: [/Veldnaam 1 voldoet niet/] },
    { scenario: 'lege string achteraan', fields: 'klantnummer,', reasons: [/Veldnaam 2 voldoet niet/] },
    { scenario: 'spatie na komma ("zonder spatie")', fields: 'klantnummer, bronorganisatie', reasons: [/Veldnaam 2 voldoet niet/] },
    { scenario: 'leading space', fields: ' klantnummer', reasons: [/patroon/] },
    { scenario: 'gescheiden door newline', fields: 'klantnummer\nadres.postcode', reasons: [/patroon/] },
    { scenario: 'gescheiden door ;', fields: 'klantnummer;adres.postcode', reasons: [/patroon/] },
    { scenario: 'gescheiden door spatie', fields: 'klantnummer adres.postcode', reasons: [/patroon/] },
    { scenario: 'gescheiden door _', fields: 'klantnummer_adres.postcode', reasons: [/niet bestaande veldnaam/] },
    { scenario: 'niet gescheiden', fields: 'klantnummeradres.postcode', reasons: [/niet bestaande veldnaam/] },
    { scenario: 'meer dan 200 valide karakters', fields: long + 't', reasons: [/patroon/] },
    { scenario: 'meerdere gevraagde velden bestaan niet (fields[1], fields[2])', fields: 'klantnummer,bestaatniet,bestaatookniet', reasons: [/bestaatniet\./, /bestaatookniet\./] },
    { scenario: 'onjuiste case', fields: 'klantNummer', reasons: [/niet bestaande veldnaam: klantNummer/] },
    { scenario: 'control characters', fields: 'klant\u0000nummer,\u001b[31m', reasons: [/Veldnaam 1/, /Veldnaam 2/] },
    { scenario: 'HTML is not echoed', fields: '<script>alert(1)</script>', reasons: [/^Veldnaam 1 voldoet niet aan patroon [^<]*$/] },
    { scenario: 'prototype names are unknown, not special', fields: '__proto__,constructor,toString', reasons: [/__proto__/, /constructor/, /toString/] },
  ];

  it.each(cases)('$scenario', ({ fields, reasons }) => {
    const got = reasonsOf(fields);
    expect(got).toHaveLength(reasons.length);
    reasons.forEach((r, i) => expect(got[i]).toMatch(r));
  });

  it('200 characters is the longest allowed item (then merely unknown)', () => {
    expect(long).toHaveLength(200);
    expect(reasonsOf(long)[0]).toMatch(/niet bestaande veldnaam/);
  });

  it('meer dan 130 veld paden → one error; 130 is fine', () => {
    const valid = Array.from({ length: 130 }, (_, i) => KLANT_FIELD_PATHS[i % KLANT_FIELD_PATHS.length]).join(',');
    expect(parseFields(valid, KLANT_FIELDS_SCHEMA).ok).toBe(true);
    expect(reasonsOf(valid + ',klantnummer')).toEqual(['Parameter bevat meer dan 130 veldnamen.']);
  });

  it('a huge value is rejected without splitting it', () => {
    expect(reasonsOf('a'.repeat(1_000_000))).toEqual(['Parameter bevat meer dan 130 veldnamen.']);
    expect(reasonsOf(','.repeat(100_000))).toEqual(['Parameter bevat meer dan 130 veldnamen.']);
  });
});

describe('canonicalFieldsKey', () => {
  it.each([
    [undefined, ''],
    [[], ''],
    [['klantnummer', 'bronorganisatie'], 'bronorganisatie,klantnummer'],
    [['bronorganisatie', 'klantnummer'], 'bronorganisatie,klantnummer'],
    [['klantnummer', 'klantnummer'], 'klantnummer'],
    [['adres.postcode', 'adres'], 'adres'],
    [['adres', 'adresx'], 'adres,adresx'],
    [['subjectIdentificatie.verblijfsadres.aoaPostcode', 'subjectIdentificatie'], 'subjectIdentificatie'],
    [['url'], 'url'],
    [['url', 'klantnummer'], 'klantnummer'],
  ] as [string[] | undefined, string][])('%j → %j', (paths, key) => {
    expect(canonicalFieldsKey(paths)).toBe(key);
  });

  it('a,b and b,a and short/full names share one key; the key selects the same output', () => {
    const a = parseFields('inpBsn,klantnummer', KLANT_FIELDS_SCHEMA);
    const b = parseFields('klantnummer,subjectIdentificatie.inpBsn', KLANT_FIELDS_SCHEMA);
    if (!a.ok || !b.ok) throw new Error('unexpected');
    expect(a.key).toBe(b.key);
    expect(a.key).toBe(canonicalFieldsKey(a.paths));
    expect(applyFields(persoon, a.key.split(','))).toEqual(applyFields(persoon, a.paths));
  });

  it('key is order/duplicate-insensitive and selects the same output (property)', () => {
    const klanten = [persoon, buitenland, bedrijf, zonderSubject];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...KLANT_FIELD_PATHS), { minLength: 1, maxLength: 8 }), fc.nat(), (paths, seed) => {
        const shuffled = [...paths, ...paths].sort((a, b) => ((a.length * 31 + seed) % 7) - ((b.length * 31 + seed) % 7));
        const key = canonicalFieldsKey(paths);
        expect(canonicalFieldsKey(shuffled)).toBe(key);
        for (const k of klanten) expect(applyFields(k, key.split(','))).toEqual(applyFields(k, paths));
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseFields results', () => {
  it('are memoized and frozen', () => {
    const a = parseFields('klantnummer,adres', KLANT_FIELDS_SCHEMA);
    const b = parseFields('klantnummer,adres', KLANT_FIELDS_SCHEMA);
    expect(a).toBe(b);
    if (!a.ok) throw new Error('unexpected');
    expect(Object.isFrozen(a.paths)).toBe(true);
  });

  it('memo is bounded', () => {
    const schema = compileFieldsSchema(['a']);
    for (let i = 0; i < 5000; i++) parseFields(`x${i}`, schema);
    expect(schema.memo.size).toBeLessThanOrEqual(512);
  });

  it('compileFieldsSchema adds missing group paths and rejects bad paths', () => {
    const schema = compileFieldsSchema(['a.b.c']);
    expect(schema.paths).toEqual(['a', 'a.b', 'a.b.c']);
    expect(fieldsOf('b', schema)).toEqual(['a.b']);
    expect(() => compileFieldsSchema(['a..b'])).toThrow();
    expect(() => compileFieldsSchema(['a b'])).toThrow();
    expect(() => compileFieldsSchema(['x.__proto__'])).toThrow();
  });
});
