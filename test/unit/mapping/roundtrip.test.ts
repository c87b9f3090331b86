// KlantData → kennisgeving object → (XML text, XSD-validated inside a full Lk01 and La01) →
// KlantData, for all three subject types: every subjectIdentificatie field, empty values, partial
// dates, diacritics, maximum lengths, several handelsnamen, verblijfBuitenland, and the values the
// XSD cannot hold (which travel in fallback extraElementen).
import { afterAll, describe, expect, it } from 'vitest';
import type { KlantData, SubjectType } from '../../../src/domain/klant.ts';
import { NotRepresentableError } from '../../../src/mapping/index.ts';
import { attrValue, type XmlNode } from '../../../src/stuf/xml-node.ts';
import { adres, buitenland, chars, emptyKlant, nnp, nps, verblijfsadres, ves } from './fixtures.ts';
import { antwoord, kennisgeving } from './stuf-text.ts';
import { answerObjects, at, bgMapper, expectSameKlant, expectXsdValid, extra, xsd } from './support.ts';
import { parseXml } from '../../../src/stuf/index.ts';
import { RECHTSVORMEN } from '../../../src/klanten/schemas.ts';

afterAll(() => xsd().dispose());


const CASES: [string, KlantData][] = [
  ['NPS: BSN, A-nummer, verblijfsadres, full date', nps()],
  ['NPS: BSN and anp identificatie, Dutch and foreign address', nps({ anpIdentificatie: '12345678901234567', subVerblijfBuitenland: buitenland() })],
  [
    'NPS: anp only (leading zeros), abroad, year-month date',
    nps({ inpBsn: '', anpIdentificatie: '00000000000012345', verblijfsadres: null, subVerblijfBuitenland: buitenland(), geboortedatum: '1984-02' }),
  ],
  ['NPS: year-only date, geslacht o, no given names', nps({ geboortedatum: '1984', geslachtsaanduiding: 'o', voornamen: '', voorletters: '' })],
  ['NPS: geslacht m, no date', nps({ geslachtsaanduiding: 'm', geboortedatum: '' })],
  [
    'NPS: values the XSD cannot hold',
    nps(
      {
        inpBsn: '12345',
        anpIdentificatie: 'ANP-17',
        geboortedatum: 'onbekend, ca. 1950',
        voorvoegselGeslachtsnaam: 'van der den',
        verblijfsadres: verblijfsadres({
          aoaIdentificatie: 'BAG-0599',
          aoaPostcode: 'B-1000',
          aoaHuisnummer: 0,
          aoaHuisletter: '-',
          aoaHuisnummertoevoeging: '1-a',
          inpLocatiebeschrijving: chars(1000, 'ö'),
        }),
        subVerblijfBuitenland: buitenland({ lndLandcode: 'BE', lndLandnaam: chars(40) }),
      },
      { websiteUrl: `https://example.org/${chars(980)}` },
    ),
  ],
  ['NPS: impossible calendar date is kept as text', nps({ geboortedatum: '1983-02-29' })],
  [
    'NPS: every text at its maximum length',
    nps(
      {
        geslachtsnaam: chars(200, 'é'),
        voorvoegselGeslachtsnaam: chars(10),
        voorletters: chars(20),
        voornamen: chars(200, 'ï'),
        verblijfsadres: verblijfsadres({ wplWoonplaatsNaam: chars(80), gorOpenbareRuimteNaam: chars(80), inpLocatiebeschrijving: chars(35), aoaHuisnummer: 99999 }),
      },
      {
        bedrijfsnaam: chars(200),
        functie: chars(200),
        voornaam: chars(200),
        voorvoegselAchternaam: chars(10),
        achternaam: chars(200),
        telefoonnummer: chars(20, '1'),
        emailadres: `${chars(242)}@example.org`,
        websiteUrl: `https://e.nl/${chars(187)}`,
        subject: `https://e.nl/${chars(987)}`,
        adres: adres({ straatnaam: chars(100), woonplaatsnaam: chars(80), huisnummer: 99999, huisnummertoevoeging: 'abcd', postcode: '1234 AB' }),
      },
    ),
  ],
  ['NPS: without subjectIdentificatie and adres', nps(null, { adres: null })],
  ['NPS: adres with only a huisnummer 0', nps(null, { adres: adres({ straatnaam: '', huisnummer: 0, huisletter: '', huisnummertoevoeging: '', postcode: '', woonplaatsnaam: '', landcode: '' }) })],
  ['NPS: everything empty', emptyKlant('natuurlijk_persoon')],
  ['NNP: nnpId, rechtsvorm, bezoekadres', nnp()],
  ['NNP: nnpId and ann identificatie, abroad', nnp({ annIdentificatie: '12345678901234567', subVerblijfBuitenland: buitenland() })],
  ['NNP: ann identificatie only, free text', nnp({ innNnpId: '', annIdentificatie: 'ANN/1', innRechtsvorm: '' })],
  ['NNP: maximum lengths', nnp({ statutaireNaam: chars(500, 'ø'), bezoekadres: chars(1000) })],
  ['NNP: without subjectIdentificatie', nnp(null)],
  ...RECHTSVORMEN.map((r): [string, KlantData] => [`NNP: rechtsvorm ${r}`, nnp({ innRechtsvorm: r })]),
  ['VES: vestigingsnummer, two handelsnamen, verblijfsadres', ves()],
  ['VES: three handelsnamen, one at 200 characters', ves({ handelsnaam: [chars(200, 'ü'), 'B', 'C & Co'] })],
  ['VES: a handelsnaam longer than the XSD allows', ves({ handelsnaam: [chars(625), 'kort'] })],
  ['VES: no handelsnaam', ves({ handelsnaam: [] })],
  [
    'VES: short vestigingsnummer, locatiebeschrijving, both addresses',
    ves({ vestigingsNummer: '123', verblijfsadres: verblijfsadres({ inpLocatiebeschrijving: 'ligplaats 3' }), subVerblijfBuitenland: buitenland() }),
  ],
  ['VES: abroad only', ves({ verblijfsadres: null, subVerblijfBuitenland: buitenland({ subAdresBuitenland2: '', subAdresBuitenland3: '' }) })],
  ['VES: without subjectIdentificatie', ves(null)],
];

describe.each(CASES)('%s', (_name, data) => {
  const mapper = bgMapper();
  const subjectType = data.subjectType as SubjectType;
  const entity = mapper.entity(subjectType);

  it('T: a valid Lk01 that reads back unchanged', () => {
    const object = mapper.toObject(subjectType, data, { verwerkingssoort: 'T' });
    expectXsdValid(kennisgeving(entity, 'T', [object]));
    expectSameKlant(mapper.toKlant(subjectType, object), data);
  });

  it('W: old and new object form a valid Lk01; the new one reads back', () => {
    const old = emptyKlant(subjectType);
    const before = mapper.toObject(subjectType, old, { verwerkingssoort: 'W', key: 'k-1' });
    const after = mapper.toObject(subjectType, data, { verwerkingssoort: 'W', key: 'k-1' });
    expectXsdValid(kennisgeving(entity, 'W', [before, after]));
    expect(attrValue(after, 'sleutelOntvangend')).toBe('k-1');
    expectSameKlant(mapper.toKlant(subjectType, after), data);
    expectSameKlant(mapper.toKlant(subjectType, before), old);
  });

  it('as La01 answer text: valid, and parsed back to the same Klant', () => {
    const object = mapper.toObject(subjectType, data, { verwerkingssoort: 'T' });
    const xml = antwoord(entity, [object]);
    expectXsdValid(xml);
    const [parsed] = answerObjects(parseXml(xml));
    expect(parsed).toBeDefined();
    expectSameKlant(mapper.toKlant(subjectType, parsed!), data);
  });
});

describe('toChange: the old/new pair of a W carries only what changed', () => {
  const mapper = bgMapper();
  const names = (o: XmlNode): string[] =>
    o.children.flatMap((c) => (c.name === 'extraElementen' ? c.children.map((x) => `extra:${attrValue(x, 'naam')}`) : [c.name]));
  const pair = (before: KlantData, after: KlantData): [XmlNode, XmlNode] => {
    const subjectType = before.subjectType as SubjectType;
    const [oud, nieuw] = mapper.toChange(subjectType, before, after, 'k-9');
    expectXsdValid(kennisgeving(mapper.entity(subjectType), 'W', [oud, nieuw]));
    for (const o of [oud, nieuw]) {
      expect(attrValue(o, 'verwerkingssoort')).toBe('W');
      expect(attrValue(o, 'sleutelOntvangend')).toBe('k-9');
    }
    return [oud, nieuw];
  };

  it('one contact field', () => {
    const [oud, nieuw] = pair(nps(), nps({}, { telefoonnummer: '0201234567' }));
    expect(names(oud)).toEqual(['sub.telefoonnummer']);
    expect(names(nieuw)).toEqual(['sub.telefoonnummer']);
    expect([at(oud, 'sub.telefoonnummer')?.text, at(nieuw, 'sub.telefoonnummer')?.text]).toEqual(['+31 10 123 45 67', '0201234567']);
  });

  it('a value emptied is sent nil in the new object', () => {
    const [, nieuw] = pair(nps(), nps({}, { klantnummer: '' }));
    expect(names(nieuw)).toEqual(['extra:klantnummer']);
    expect(attrValue(extra(nieuw, 'klantnummer')[0], 'nil')).toBe('true');
  });

  it('a group changes as a whole; an address removed is a nil group, one added has no old counterpart', () => {
    const [oud, nieuw] = pair(nps(), nps({ verblijfsadres: verblijfsadres({ aoaHuisnummer: 41 }) }));
    expect(names(nieuw)).toEqual(['verblijfsadres']);
    expect(at(nieuw, 'verblijfsadres')?.children).toHaveLength(8);
    expect(at(oud, 'verblijfsadres/aoa.huisnummer')?.text).toBe('40');

    const [oudWeg, nieuwWeg] = pair(nps(), nps({ verblijfsadres: null }));
    expect(names(oudWeg)).toEqual(['verblijfsadres']);
    expect(at(nieuwWeg, 'verblijfsadres')?.children.every((c) => attrValue(c, 'nil') === 'true')).toBe(true);

    const [oudErbij, nieuwErbij] = pair(nps({ verblijfsadres: null }), nps());
    expect(names(oudErbij)).toEqual([]);
    expect(names(nieuwErbij)).toEqual(['verblijfsadres']);
  });

  it('a value moving from element to fallback clears the element and fills the fallback', () => {
    const [oud, nieuw] = pair(nps(), nps({ inpBsn: '12345' }));
    expect(names(oud)).toEqual(['inp.bsn', 'extra:subjectIdentificatie.inpBsn']);
    expect(at(oud, 'inp.bsn')?.text).toBe('999993653');
    expect(attrValue(at(nieuw, 'inp.bsn'), 'nil')).toBe('true');
    expect(extra(nieuw, 'subjectIdentificatie.inpBsn').map((x) => x.text)).toEqual(['12345']);
  });

  it('moving abroad: the choice switches branch', () => {
    const [oud, nieuw] = pair(nps(), nps({ verblijfsadres: null, subVerblijfBuitenland: buitenland() }));
    expect(names(oud)).toEqual(['verblijfsadres']);
    expect(names(nieuw)).toEqual(['sub.verblijfBuitenland']);
  });

  it('an old value the backend held in a form the element cannot take is sent as read', () => {
    const before = nps({ inpANummer: '12345' }); // as a backend had it; no Klant could be written so
    const [oud] = pair(before, { ...before, telefoonnummer: '0201234567' });
    expect(at(oud, 'inp.a-nummer')).toBeUndefined(); // unchanged: stays out, the message stays valid
    const [changed] = mapper.toChange('natuurlijk_persoon', before, nps({ inpANummer: '1234567890' }), 'k');
    expect(at(changed, 'inp.a-nummer')?.text).toBe('12345'); // changed: the old value goes as read
  });

  it('a new value the backend cannot hold is still refused', () => {
    expect(() => mapper.toChange('natuurlijk_persoon', nps(), nps({ inpANummer: '0123456789' }), 'k')).toThrow(NotRepresentableError);
  });

  it('nothing changed: two empty objects', () => {
    const [oud, nieuw] = mapper.toChange('vestiging', ves(), ves(), 'k');
    expect([oud.children, nieuw.children]).toEqual([[], []]);
  });
});

describe('toObject details', () => {
  const mapper = bgMapper();

  it('sends empty values as xsi:nil with StUF:noValue="geenWaarde"', () => {
    const object = mapper.toObject('natuurlijk_persoon', nps({ voorletters: '' }), { verwerkingssoort: 'T' });
    const voorletters = at(object, 'voorletters');
    expect(attrValue(voorletters, 'nil', 'http://www.w3.org/2001/XMLSchema-instance')).toBe('true');
    expect(attrValue(voorletters, 'noValue', 'http://www.egem.nl/StUF/StUF0301')).toBe('geenWaarde');
    const [functie] = extra(mapper.toObject('natuurlijk_persoon', nps({}, { functie: '' }), { verwerkingssoort: 'T' }), 'functie');
    expect(attrValue(functie, 'nil')).toBe('true');
  });

  it('carries verwerkingssoort and, only when given, sleutelOntvangend', () => {
    for (const soort of ['T', 'W', 'V'] as const) {
      const object = mapper.toObject('vestiging', ves(), { verwerkingssoort: soort });
      expect(attrValue(object, 'verwerkingssoort')).toBe(soort);
      expect(attrValue(object, 'entiteittype')).toBe('VES');
      expect(attrValue(object, 'sleutelOntvangend')).toBeUndefined();
    }
    expectXsdValid(kennisgeving(mapper.entity('vestiging'), 'V', [mapper.toObject('vestiging', ves(), { verwerkingssoort: 'V', key: 'abc' })]));
  });

  it('writes dates as YYYYMMDD, partial dates with zeros and indOnvolledigeDatum', () => {
    const cases: [string, string, string | undefined][] = [
      ['1984-02-29', '19840229', undefined],
      ['1984-02', '19840200', 'D'],
      ['1984', '19840000', 'M'],
    ];
    for (const [iso, text, ind] of cases) {
      const d = at(mapper.toObject('natuurlijk_persoon', nps({ geboortedatum: iso }), { verwerkingssoort: 'T' }), 'geboortedatum');
      expect(d?.text).toBe(text);
      expect(attrValue(d, 'indOnvolledigeDatum')).toBe(ind);
    }
  });

  it('maps geslachtsaanduiding m/v/o to M/V/O and rechtsvorm to the RSGB label', () => {
    for (const [klant, stuf] of [['m', 'M'], ['v', 'V'], ['o', 'O']] as const) {
      expect(at(mapper.toObject('natuurlijk_persoon', nps({ geslachtsaanduiding: klant }), { verwerkingssoort: 'T' }), 'geslachtsaanduiding')?.text).toBe(stuf);
    }
    const object = mapper.toObject('niet_natuurlijk_persoon', nnp({ innRechtsvorm: 'besloten_vennootschap' }), { verwerkingssoort: 'T' });
    expect(at(object, 'inn.rechtsvorm')?.text).toBe('Besloten Vennootschap');
  });

  it('moves a value the element cannot hold to its fallback, and a W clears the other place', () => {
    const fits = mapper.toObject('natuurlijk_persoon', nps({ inpBsn: '999993653' }), { verwerkingssoort: 'W' });
    expect(at(fits, 'inp.bsn')?.text).toBe('999993653');
    expect(extra(fits, 'subjectIdentificatie.inpBsn').map((x) => attrValue(x, 'nil'))).toEqual(['true']);

    const tooShort = mapper.toObject('natuurlijk_persoon', nps({ inpBsn: '12345' }), { verwerkingssoort: 'W' });
    expect(attrValue(at(tooShort, 'inp.bsn'), 'nil')).toBe('true');
    expect(extra(tooShort, 'subjectIdentificatie.inpBsn').map((x) => x.text)).toEqual(['12345']);

    // A T has nothing to clear: no nil fallbacks.
    const added = mapper.toObject('natuurlijk_persoon', nps({ inpBsn: '999993653' }), { verwerkingssoort: 'T' });
    expect(extra(added, 'subjectIdentificatie.inpBsn')).toEqual([]);
  });

  it('sends only one member of an xsd:choice; the other goes to its fallback', () => {
    const object = mapper.toObject('natuurlijk_persoon', nps({ anpIdentificatie: '12345678901234567', subVerblijfBuitenland: buitenland() }), {
      verwerkingssoort: 'T',
    });
    expect(at(object, 'inp.bsn')?.text).toBe('999993653');
    expect(at(object, 'anp.identificatie')).toBeUndefined();
    expect(extra(object, 'subjectIdentificatie.anpIdentificatie').map((x) => x.text)).toEqual(['12345678901234567']);
    expect(at(object, 'verblijfsadres/aoa.identificatie')?.text).toBe('0599200000123456');
    expect(at(object, 'sub.verblijfBuitenland')).toBeUndefined();
    expect(extra(object, 'subjectIdentificatie.subVerblijfBuitenland.lndLandnaam').map((x) => x.text)).toEqual(['België']);
  });

  it('sends several handelsnamen as repeated elements in order', () => {
    const object = mapper.toObject('vestiging', ves({ handelsnaam: ['A', 'B', 'C'] }), { verwerkingssoort: 'T' });
    expect(object.children.filter((c) => c.name === 'handelsnaam').map((c) => c.text)).toEqual(['A', 'B', 'C']);
  });

  it('refuses values without any place in the backend, naming the Klant field', () => {
    const refused: [SubjectType, KlantData, string][] = [
      ['natuurlijk_persoon', nps({ inpANummer: '0123456789' }), 'subjectIdentificatie.inpANummer'],
      ['niet_natuurlijk_persoon', nnp({ innRechtsvorm: 'bv' }), 'subjectIdentificatie.innRechtsvorm'],
      ['natuurlijk_persoon', nps({ geslachtsaanduiding: 'x' as 'm' }), 'subjectIdentificatie.geslachtsaanduiding'],
      ['vestiging', { ...ves(), subjectIdentificatie: { ...ves().subjectIdentificatie, inpBsn: '999993653' } as never }, 'subjectIdentificatie.inpBsn'],
    ];
    for (const [subjectType, data, path] of refused) {
      let error: unknown;
      try {
        mapper.toObject(subjectType, data, { verwerkingssoort: 'T' });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(NotRepresentableError);
      expect((error as NotRepresentableError).path).toBe(path);
    }
  });
});
