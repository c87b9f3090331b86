// The StUF-ZKN 03.10 contactpersoon dialect (mappings/stuf-zkn-0310-ctp.yaml): one CTP entity for
// every subjectType, the subject in isAanspreekpuntNamens. Everything the gateway would send
// (ctpLk01 T/W/V, ctpLv01) and what a backend answers (ctpLa01) is validated against the ZKN XSDs,
// and every Klant reads back as it was written.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { KlantData, SubjectType } from '../../../src/domain/klant.ts';
import { KlantMapper, loadMapping, NotRepresentableError } from '../../../src/mapping/index.ts';
import { attrValue, NS, type XmlNode } from '../../../src/stuf/xml-node.ts';
import { buitenland, chars, nnp, nps, ves, verblijfsadres } from './fixtures.ts';
import { antwoord, kennisgeving, vraag } from './stuf-text.ts';
import { at, expectSameKlant, expectXsdValid, extra, xsd } from './support.ts';

afterAll(() => xsd().dispose());
const CTP_MAPPING = path.resolve(import.meta.dirname, '../../../mappings/stuf-zkn-0310-ctp.yaml');
const mapper = new KlantMapper(loadMapping(CTP_MAPPING));

/** What a backend answers for a stored object: no verwerkingssoort anywhere (CTP-antwoord prohibits it). */
function asAnswer(o: XmlNode): XmlNode {
  const strip = (n: XmlNode): XmlNode => ({ ...n, attrs: n.attrs.filter((a) => a.name !== 'verwerkingssoort'), children: n.children.map(strip) });
  return strip(o);
}

const CASES: [string, KlantData][] = [
  ['person with BSN and address', nps()],
  ['person with anp, abroad, long prefix', nps({ inpBsn: '', anpIdentificatie: '12345678901234567', voorvoegselGeslachtsnaam: 'van der den', verblijfsadres: null, subVerblijfBuitenland: buitenland() })],
  ['person with both addresses and a free-text birth date', nps({ anpIdentificatie: 'A1', geboortedatum: 'ongeveer 1970', subVerblijfBuitenland: buitenland() })],
  ['person without subject data', nps(null)],
  ['person with a long name and function', nps({}, { achternaam: chars(200, 'ë'), functie: chars(50, 'f') })],
  ['organisation with nnpId (authentiek follows)', nnp()],
  ['organisation with both ids, abroad', nnp({ annIdentificatie: '12345678901234567', subVerblijfBuitenland: buitenland({ subAdresBuitenland1: chars(60) }) })],
  ['organisation without subject data', nnp(null)],
  ['vestiging with one handelsnaam', ves({ handelsnaam: ['Zoë'], verblijfsadres: verblijfsadres() })],
  ['vestiging with two handelsnamen (one element allowed)', ves()],
  ['vestiging abroad with a short vestigingsnummer', ves({ vestigingsNummer: '123', verblijfsadres: null, subVerblijfBuitenland: buitenland() })],
  ['vestiging without subject data', ves(null)],
];

describe.each(CASES)('CTP: %s', (_n, data) => {
  const subjectType = data.subjectType as SubjectType;
  const entity = mapper.entity(subjectType);

  it('T, W and V kennisgevingen are XSD-valid, and the answer reads back as the same Klant', () => {
    const added = mapper.toObject(subjectType, data, { verwerkingssoort: 'T' });
    expectXsdValid(kennisgeving(entity, 'T', [added]));
    expect(mapper.subjectTypeOf(added)).toBe(subjectType);
    const answer = asAnswer(added);
    expectXsdValid(antwoord(entity, [answer]));
    expectSameKlant(mapper.toKlant(subjectType, answer), data);

    const empty = { ...data, subjectIdentificatie: null, telefoonnummer: '', functie: 'nieuw' };
    expectXsdValid(kennisgeving(entity, 'W', mapper.toChange(subjectType, data, empty, 'ctp-1')));
    expectXsdValid(kennisgeving(entity, 'W', mapper.toChange(subjectType, empty, data, 'ctp-1')));
    expectXsdValid(kennisgeving(entity, 'V', [mapper.toObject(subjectType, data, { verwerkingssoort: 'V', key: 'ctp-1' })]));
  });

  it('questions are XSD-valid, and always ask for the subject element that tells the subjectType', () => {
    const key = { natuurlijk_persoon: 'subjectIdentificatie.inpBsn', niet_natuurlijk_persoon: 'subjectIdentificatie.innNnpId', vestiging: 'subjectIdentificatie.vestigingsNummer' }[subjectType];
    const id = subjectType === 'vestiging' ? '000012345678' : '999993653';
    const gelijk = mapper.gelijk(subjectType, { klantnummer: data.klantnummer, achternaam: 'Jansen', [key]: id });
    expect(gelijk).not.toBe('impossible');
    expectXsdValid(vraag(entity, gelijk as XmlNode, mapper.scope(subjectType)));
    const narrow = mapper.scope(subjectType, ['klantnummer']);
    expectXsdValid(vraag(entity, undefined, narrow));
    const when = { natuurlijk_persoon: 'natuurlijkPersoon', niet_natuurlijk_persoon: 'nietNatuurlijkPersoon', vestiging: 'vestiging' }[subjectType];
    expect(at(narrow, `isAanspreekpuntNamens/gerelateerde/${when}`)).toBeDefined();
  });
});

describe('CTP details', () => {
  it('nests the subject with entiteittype and verwerkingssoort on every entity level', () => {
    const object = mapper.toObject('natuurlijk_persoon', nps(), { verwerkingssoort: 'T' });
    const relation = at(object, 'isAanspreekpuntNamens');
    expect(attrValue(relation, 'entiteittype')).toBe('CTPSUB');
    expect(attrValue(relation, 'verwerkingssoort')).toBe('T');
    const person = at(object, 'isAanspreekpuntNamens/gerelateerde/natuurlijkPersoon');
    expect(person?.ns).toBe(NS.bg);
    expect(attrValue(person, 'entiteittype')).toBe('NPS');
    expect(attrValue(person, 'verwerkingssoort')).toBe('I');
    expect(at(object, 'isAanspreekpuntNamens/gerelateerde/natuurlijkPersoon/authentiek')?.text).toBe('N');
  });

  it('sends the subject element bare for a klant without subject data, so it reads back as its subjectType', () => {
    for (const data of [nps(null), nnp(null), ves(null)]) {
      const subjectType = data.subjectType as SubjectType;
      const object = mapper.toObject(subjectType, data, { verwerkingssoort: 'T' });
      const gerelateerde = at(object, 'isAanspreekpuntNamens/gerelateerde');
      expect(gerelateerde?.children).toHaveLength(1);
      expect(gerelateerde?.children[0]?.children).toEqual([]);
      expect(mapper.subjectTypeOf(asAnswer(object))).toBe(subjectType);
      expect(mapper.toKlant(subjectType, asAnswer(object)).subjectIdentificatie).toBeNull();
    }
  });

  it('removing the subject data in a W sends the bare subject element, replacing the relation', () => {
    const [oud, nieuw] = mapper.toChange('niet_natuurlijk_persoon', nnp(), nnp(null), 'ctp-9');
    expect(at(oud, 'isAanspreekpuntNamens/gerelateerde/nietNatuurlijkPersoon/inn.nnpId')?.text).toBe('001234566');
    expect(at(nieuw, 'isAanspreekpuntNamens/gerelateerde/nietNatuurlijkPersoon')?.children).toEqual([]);
  });

  it('filters on the subject through gelijk/isAanspreekpuntNamens/gerelateerde/bsVesNummerOfId', () => {
    const gelijk = mapper.gelijk('natuurlijk_persoon', { 'subjectIdentificatie.inpBsn': '999993653' }) as XmlNode;
    expect(at(gelijk, 'isAanspreekpuntNamens/gerelateerde/bsVesNummerOfId')?.text).toBe('999993653');
    expect(mapper.gelijk('vestiging', { 'subjectIdentificatie.inpBsn': '999993653' })).toBe('impossible');
  });

  it('keeps what the CTP cannot hold in extraElementen: long names, a-nummer, website, klant address', () => {
    const data = nps({}, { achternaam: chars(41), functie: chars(51) });
    const object = mapper.toObject('natuurlijk_persoon', data, { verwerkingssoort: 'T' });
    expect(extra(object, 'achternaam')[0]?.text).toBe(chars(41));
    expect(extra(object, 'functie')[0]?.text).toBe(chars(51));
    expect(extra(object, 'subjectIdentificatie.inpANummer')[0]?.text).toBe('1234567890');
    expect(extra(object, 'websiteUrl')[0]?.text).toBe(data.websiteUrl);
    expect(extra(object, 'adres.postcode')[0]?.text).toBe('3011 AB');
  });

  it('one question for all three subject types asks the union of their scopes, and stays XSD-valid', () => {
    const types: SubjectType[] = ['natuurlijk_persoon', 'niet_natuurlijk_persoon', 'vestiging'];
    const scope = mapper.scopeFor(types, ['klantnummer', 'subjectIdentificatie']);
    const gerelateerde = at(scope, 'isAanspreekpuntNamens/gerelateerde');
    expect(gerelateerde?.children.map((c) => c.name)).toEqual(['natuurlijkPersoon', 'nietNatuurlijkPersoon', 'vestiging']);
    expectXsdValid(vraag(mapper.entity('vestiging'), undefined, scope));
    expectXsdValid(vraag(mapper.entity('vestiging'), undefined, mapper.scopeFor(types)));
  });

  it('refuses a value no element or fallback can hold', () => {
    const data = nps({}, {});
    const bad = { ...data, subjectIdentificatie: { ...(data.subjectIdentificatie as object), unknownThing: 'x' } } as unknown as KlantData;
    expect(() => mapper.toObject('natuurlijk_persoon', bad, { verwerkingssoort: 'T' })).toThrow(NotRepresentableError);
  });
});
