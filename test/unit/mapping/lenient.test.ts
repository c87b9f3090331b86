// Backend answers as real StUF systems send them: nil and noValue in every combination,
// whitespace, leading zeros, spaced postcodes, partial dates, unknown elements, missing or
// misplaced extraElementen. The parser hands the mapping namespace-resolved nodes; prefixes
// are not this module's concern, but namespaces that are off are tolerated.
import { describe, expect, it } from 'vitest';
import type { KlantData, SubjectType } from '../../../src/domain/klant.ts';
import { emptyKlant } from './fixtures.ts';
import { bgMapper, expectSameKlant } from './support.ts';
import { parseXml } from '../../../src/stuf/index.ts';

const NS = [
  'xmlns:BG="http://www.egem.nl/StUF/sector/bg/0310"',
  'xmlns:StUF="http://www.egem.nl/StUF/StUF0301"',
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
].join(' ');
const TYPE: Record<SubjectType, string> = { natuurlijk_persoon: 'NPS', niet_natuurlijk_persoon: 'NNP', vestiging: 'VES' };

function read(subjectType: SubjectType, inner: string): KlantData {
  const object = parseXml(`<BG:object ${NS} StUF:entiteittype="${TYPE[subjectType]}" StUF:sleutelVerzendend="1">${inner}</BG:object>`);
  return bgMapper().toKlant(subjectType, object);
}

function get(data: unknown, path: string): unknown {
  let cur = data;
  for (const p of path.split('.')) cur = cur === null || cur === undefined ? undefined : (cur as Record<string, unknown>)[p];
  return cur;
}

const extras = (items: string): string => `<StUF:extraElementen>${items}</StUF:extraElementen>`;
const bsn = '<BG:inp.bsn>999993653</BG:inp.bsn>';
const adresGroep = (inner: string): string =>
  `<BG:verblijfsadres><BG:aoa.identificatie>0599200000123456</BG:aoa.identificatie><BG:gor.openbareRuimteNaam>Coolsingel</BG:gor.openbareRuimteNaam>${inner}</BG:verblijfsadres>`;

const CASES: [string, SubjectType, string, string, unknown][] = [
  ['nil without noValue', 'natuurlijk_persoon', `${bsn}<BG:geslachtsnaam xsi:nil="true"/>`, 'subjectIdentificatie.geslachtsnaam', ''],
  ['nil with noValue', 'natuurlijk_persoon', `${bsn}<BG:geslachtsnaam xsi:nil="true" StUF:noValue="waardeOnbekend"/>`, 'subjectIdentificatie.geslachtsnaam', ''],
  [
    'noValue without nil (misspelt xsi namespace)',
    'natuurlijk_persoon',
    `${bsn}<BG:voornamen xmlns:x="http://www.w3.org/2001/XMLSchemainstance" x:nil="true" StUF:noValue="geenWaarde"/>`,
    'subjectIdentificatie.voornamen',
    '',
  ],
  ['noValue on an element that has a value', 'natuurlijk_persoon', `${bsn}<BG:voornamen StUF:noValue="waardeOnbekend">Jan</BG:voornamen>`, 'subjectIdentificatie.voornamen', 'Jan'],
  ['nil="true " with whitespace', 'natuurlijk_persoon', `${bsn}<BG:voorletters xsi:nil=" true "/>`, 'subjectIdentificatie.voorletters', ''],
  ['whitespace around a value', 'natuurlijk_persoon', `${bsn}<BG:geslachtsnaam>\n  Jansen   </BG:geslachtsnaam>`, 'subjectIdentificatie.geslachtsnaam', 'Jansen'],
  ['leading zeros in a BSN are kept', 'natuurlijk_persoon', '<BG:inp.bsn>012345678</BG:inp.bsn>', 'subjectIdentificatie.inpBsn', '012345678'],
  ['leading zeros in a vestigingsnummer are kept', 'vestiging', '<BG:vestigingsNummer>000012345678</BG:vestigingsNummer>', 'subjectIdentificatie.vestigingsNummer', '000012345678'],
  ['leading zeros in an nnpId are kept', 'niet_natuurlijk_persoon', '<BG:inn.nnpId> 001234566 </BG:inn.nnpId>', 'subjectIdentificatie.innNnpId', '001234566'],
  ['postcode with a space, lower case', 'natuurlijk_persoon', adresGroep('<BG:aoa.postcode>3011 ad</BG:aoa.postcode>'), 'subjectIdentificatie.verblijfsadres.aoaPostcode', '3011AD'],
  ['huisnummer with leading zeros', 'natuurlijk_persoon', adresGroep('<BG:aoa.huisnummer>0040</BG:aoa.huisnummer>'), 'subjectIdentificatie.verblijfsadres.aoaHuisnummer', 40],
  ['huisnummer with whitespace', 'natuurlijk_persoon', adresGroep('<BG:aoa.huisnummer> 7 </BG:aoa.huisnummer>'), 'subjectIdentificatie.verblijfsadres.aoaHuisnummer', 7],
  ['huisnummer that is no number', 'natuurlijk_persoon', adresGroep('<BG:aoa.huisnummer>7a</BG:aoa.huisnummer>'), 'subjectIdentificatie.verblijfsadres.aoaHuisnummer', null],
  ['adres huisnummer from an extraElement', 'natuurlijk_persoon', extras('<StUF:extraElement naam="adres.huisnummer">012</StUF:extraElement>'), 'adres.huisnummer', 12],
  ['full date', 'natuurlijk_persoon', `${bsn}<BG:geboortedatum>19840229</BG:geboortedatum>`, 'subjectIdentificatie.geboortedatum', '1984-02-29'],
  ['full date marked V', 'natuurlijk_persoon', `${bsn}<BG:geboortedatum StUF:indOnvolledigeDatum="V">19840229</BG:geboortedatum>`, 'subjectIdentificatie.geboortedatum', '1984-02-29'],
  ['day unknown (D, zeros)', 'natuurlijk_persoon', `${bsn}<BG:geboortedatum StUF:indOnvolledigeDatum="D">19840200</BG:geboortedatum>`, 'subjectIdentificatie.geboortedatum', '1984-02'],
  ['day unknown (D, filler day)', 'natuurlijk_persoon', `${bsn}<BG:geboortedatum StUF:indOnvolledigeDatum="D">19840215</BG:geboortedatum>`, 'subjectIdentificatie.geboortedatum', '1984-02'],
  ['month unknown (M, filler)', 'natuurlijk_persoon', `${bsn}<BG:geboortedatum StUF:indOnvolledigeDatum="M">19840101</BG:geboortedatum>`, 'subjectIdentificatie.geboortedatum', '1984'],
  ['zeros without indicator', 'natuurlijk_persoon', `${bsn}<BG:geboortedatum>19840000</BG:geboortedatum>`, 'subjectIdentificatie.geboortedatum', '1984'],
  ['wholly unknown (J)', 'natuurlijk_persoon', `${bsn}<BG:geboortedatum StUF:indOnvolledigeDatum="J">00000000</BG:geboortedatum>`, 'subjectIdentificatie.geboortedatum', ''],
  ['0 as a date', 'natuurlijk_persoon', `${bsn}<BG:geboortedatum>0</BG:geboortedatum>`, 'subjectIdentificatie.geboortedatum', ''],
  ['ISO date where YYYYMMDD belongs', 'natuurlijk_persoon', `${bsn}<BG:geboortedatum>1984-02-29</BG:geboortedatum>`, 'subjectIdentificatie.geboortedatum', '1984-02-29'],
  ['geslachtsaanduiding lower case with spaces', 'natuurlijk_persoon', `${bsn}<BG:geslachtsaanduiding> v </BG:geslachtsaanduiding>`, 'subjectIdentificatie.geslachtsaanduiding', 'v'],
  ['unknown geslachtsaanduiding', 'natuurlijk_persoon', `${bsn}<BG:geslachtsaanduiding>X</BG:geslachtsaanduiding>`, 'subjectIdentificatie.geslachtsaanduiding', ''],
  ['rechtsvorm in other case and spacing', 'niet_natuurlijk_persoon', '<BG:inn.rechtsvorm>BESLOTEN  vennootschap</BG:inn.rechtsvorm>', 'subjectIdentificatie.innRechtsvorm', 'besloten_vennootschap'],
  [
    'rechtsvorm with diacritics',
    'niet_natuurlijk_persoon',
    '<BG:inn.rechtsvorm>Coöperatie, Europees Economische Samenwerking</BG:inn.rechtsvorm>',
    'subjectIdentificatie.innRechtsvorm',
    'cooperatie_europees_economische_samenwerking',
  ],
  ['rechtsvorm spelt correctly', 'niet_natuurlijk_persoon', '<BG:inn.rechtsvorm>Europese Coöperatieve Vennootschap</BG:inn.rechtsvorm>', 'subjectIdentificatie.innRechtsvorm', 'europese_cooperatieve_venootschap'],
  ['unknown rechtsvorm', 'niet_natuurlijk_persoon', '<BG:inn.nnpId>001234566</BG:inn.nnpId><BG:inn.rechtsvorm>Eenmanszaak</BG:inn.rechtsvorm>', 'subjectIdentificatie.innRechtsvorm', ''],
  [
    'unknown elements and relations are ignored',
    'natuurlijk_persoon',
    `${bsn}<BG:authentiek>J</BG:authentiek><BG:inp.geboorteplaats>Delft</BG:inp.geboorteplaats><BG:geslachtsnaam>Jansen</BG:geslachtsnaam><BG:inp.heeftAlsOuders StUF:entiteittype="NPSNPSOUD"><BG:gerelateerde StUF:entiteittype="NPS"><BG:geslachtsnaam>Ouder</BG:geslachtsnaam></BG:gerelateerde></BG:inp.heeftAlsOuders>`,
    'subjectIdentificatie.geslachtsnaam',
    'Jansen',
  ],
  ['elements in the default namespace', 'natuurlijk_persoon', `<geslachtsnaam xmlns="http://www.egem.nl/StUF/sector/bg/0310">Jansen</geslachtsnaam>`, 'subjectIdentificatie.geslachtsnaam', 'Jansen'],
  ['elements without namespace', 'natuurlijk_persoon', '<geslachtsnaam>Jansen</geslachtsnaam>', 'subjectIdentificatie.geslachtsnaam', 'Jansen'],
  ['extraElementen missing', 'natuurlijk_persoon', bsn, 'klantnummer', ''],
  ['extraElement nil', 'natuurlijk_persoon', extras('<StUF:extraElement naam="klantnummer" xsi:nil="true" StUF:noValue="geenWaarde"/>'), 'klantnummer', ''],
  ['extraElement with spaces in its naam and value', 'natuurlijk_persoon', extras('<StUF:extraElement naam=" klantnummer ">  0042 </StUF:extraElement>'), 'klantnummer', '0042'],
  ['extraElementen in the sector namespace', 'natuurlijk_persoon', '<BG:extraElementen><BG:extraElement naam="klantnummer">7</BG:extraElement></BG:extraElementen>', 'klantnummer', '7'],
  ['unknown extraElementen are ignored', 'natuurlijk_persoon', extras('<StUF:extraElement naam="iets">x</StUF:extraElement><StUF:extraElement naam="functie">f</StUF:extraElement>'), 'functie', 'f'],
  ['verblijfsadres with only nil children is null', 'natuurlijk_persoon', `${bsn}<BG:verblijfsadres><BG:aoa.identificatie xsi:nil="true"/><BG:aoa.huisnummer xsi:nil="true"/></BG:verblijfsadres>`, 'subjectIdentificatie.verblijfsadres', null],
  ['adres from extraElementen without values is null', 'natuurlijk_persoon', extras('<StUF:extraElement naam="adres.straatnaam" xsi:nil="true"/>'), 'adres', null],
  [
    'both addresses although the XSD allows one',
    'natuurlijk_persoon',
    `${adresGroep('')}<BG:sub.verblijfBuitenland><BG:lnd.landcode>5010</BG:lnd.landcode><BG:lnd.landnaam>België</BG:lnd.landnaam></BG:sub.verblijfBuitenland>`,
    'subjectIdentificatie.subVerblijfBuitenland.lndLandnaam',
    'België',
  ],
  [
    'a value in the element wins over a stale fallback',
    'natuurlijk_persoon',
    `<BG:inp.bsn>999993653</BG:inp.bsn>${extras('<StUF:extraElement naam="subjectIdentificatie.inpBsn">12345</StUF:extraElement>')}`,
    'subjectIdentificatie.inpBsn',
    '999993653',
  ],
  ['the fallback when the element is nil', 'natuurlijk_persoon', `<BG:inp.bsn xsi:nil="true"/>${extras('<StUF:extraElement naam="subjectIdentificatie.inpBsn">12345</StUF:extraElement>')}`, 'subjectIdentificatie.inpBsn', '12345'],
  [
    'handelsnamen: nil ones are skipped, the others trimmed and in order',
    'vestiging',
    '<BG:handelsnaam>A</BG:handelsnaam><BG:handelsnaam xsi:nil="true"/><BG:handelsnaam> B </BG:handelsnaam><BG:handelsnaamVerkort>b</BG:handelsnaamVerkort>',
    'subjectIdentificatie.handelsnaam',
    ['A', 'B'],
  ],
  ['VES locatiebeschrijving from its extraElement', 'vestiging', `${extras('<StUF:extraElement naam="subjectIdentificatie.verblijfsadres.inpLocatiebeschrijving">steiger 2</StUF:extraElement>')}`, 'subjectIdentificatie.verblijfsadres.inpLocatiebeschrijving', 'steiger 2'],
];

describe('reading backend answers leniently', () => {
  it.each(CASES)('%s', (_name, subjectType, inner, path, expected) => {
    expect(get(read(subjectType, inner), path)).toEqual(expected);
  });

  it.each(['natuurlijk_persoon', 'niet_natuurlijk_persoon', 'vestiging'] as const)('an empty %s object is an empty Klant', (subjectType) => {
    expectSameKlant(read(subjectType, ''), emptyKlant(subjectType));
  });

  it('subjectIdentificatie is null when only nil elements came back', () => {
    const data = read('natuurlijk_persoon', `<BG:inp.bsn xsi:nil="true"/><BG:geslachtsnaam xsi:nil="true"/>${extras('<StUF:extraElement naam="klantnummer">1</StUF:extraElement>')}`);
    expect(data.subjectIdentificatie).toBeNull();
    expect(data.klantnummer).toBe('1');
  });

  it('every field is present, in OAS order, whatever the backend omitted', () => {
    const data = read('vestiging', '<BG:vestigingsNummer>000012345678</BG:vestigingsNummer>');
    expect(Object.keys(data)).toEqual(Object.keys(emptyKlant('vestiging')));
    expect(data.subjectIdentificatie).toEqual({ vestigingsNummer: '000012345678', handelsnaam: [], verblijfsadres: null, subVerblijfBuitenland: null });
    expect(Object.keys(data.subjectIdentificatie ?? {})).toEqual(['vestigingsNummer', 'handelsnaam', 'verblijfsadres', 'subVerblijfBuitenland']);
  });
});
