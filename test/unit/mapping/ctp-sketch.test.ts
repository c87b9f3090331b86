// The format carries a second dialect without engine changes: a StUF-ZKN 03.10 contactpersoon
// (CTP) sketch, one entity for all subject types, the subject in isAanspreekpuntNamens. What the
// gateway would send (ctpLk01, ctpLv01) is validated against the ZKN XSDs.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { KlantData, SubjectType } from '../../../src/domain/klant.ts';
import { KlantMapper, loadMapping } from '../../../src/mapping/index.ts';
import { attrValue, type XmlNode } from '../../../src/stuf/xml-node.ts';
import { buitenland, nnp, nps, ves } from './fixtures.ts';
import { kennisgeving, vraag } from './stuf-text.ts';
import { at, expectSameKlant, expectXsdValid, xsd } from './support.ts';

afterAll(() => xsd().dispose());
const mapper = new KlantMapper(loadMapping(path.resolve(import.meta.dirname, 'ctp-sketch.yaml')));

const CASES: [string, KlantData][] = [
  ['person with BSN and address', nps({ verblijfsadres: null })],
  ['person with anp, abroad, long prefix', nps({ inpBsn: '', anpIdentificatie: '12345678901234567', voorvoegselGeslachtsnaam: 'van der den', verblijfsadres: null, subVerblijfBuitenland: buitenland() })],
  ['person with both addresses', nps({ anpIdentificatie: 'A1', subVerblijfBuitenland: buitenland() })],
  ['organisation with nnpId (authentiek follows)', nnp()],
  ['organisation with both ids', nnp({ annIdentificatie: '12345678901234567', subVerblijfBuitenland: buitenland() })],
  ['vestiging with one handelsnaam', ves({ handelsnaam: ['Zoë'] })],
  ['vestiging with two handelsnamen (one element allowed)', ves()],
];

describe.each(CASES)('CTP sketch: %s', (_n, data) => {
  const subjectType = data.subjectType as SubjectType;
  const entity = mapper.entity(subjectType);

  it('T and W kennisgevingen are XSD-valid and read back', () => {
    const added = mapper.toObject(subjectType, data, { verwerkingssoort: 'T' });
    expectXsdValid(kennisgeving(entity, 'T', [added]));
    const changed = mapper.toObject(subjectType, data, { verwerkingssoort: 'W', key: 'ctp-1' });
    expectXsdValid(kennisgeving(entity, 'W', [changed, changed]));
    expectSameKlant(mapper.toKlant(subjectType, added), data);
    expect(mapper.subjectTypeOf(added)).toBe(subjectType);
  });

  it('questions are XSD-valid', () => {
    const key = { natuurlijk_persoon: 'subjectIdentificatie.inpBsn', niet_natuurlijk_persoon: 'subjectIdentificatie.innNnpId', vestiging: 'subjectIdentificatie.vestigingsNummer' }[subjectType];
    const gelijk = mapper.gelijk(subjectType, { klantnummer: data.klantnummer, achternaam: data.achternaam, [key]: '000012345678' });
    expect(gelijk).not.toBe('impossible');
    expectXsdValid(vraag(entity, gelijk as XmlNode, mapper.scope(subjectType)));
  });
});

describe('CTP sketch details', () => {
  it('nests the subject with entiteittype and verwerkingssoort on every entity level', () => {
    const object = mapper.toObject('natuurlijk_persoon', nps(), { verwerkingssoort: 'T' });
    const relation = at(object, 'isAanspreekpuntNamens');
    expect(attrValue(relation, 'entiteittype')).toBe('CTPSUB');
    expect(attrValue(relation, 'verwerkingssoort')).toBe('T');
    const person = at(object, 'isAanspreekpuntNamens/gerelateerde/natuurlijkPersoon');
    expect(person?.ns).toBe('http://www.egem.nl/StUF/sector/bg/0310');
    expect(attrValue(person, 'entiteittype')).toBe('NPS');
    expect(attrValue(person, 'verwerkingssoort')).toBe('I');
  });

  it('filters on the subject through gelijk/isAanspreekpuntNamens/gerelateerde/bsVesNummerOfId', () => {
    const gelijk = mapper.gelijk('natuurlijk_persoon', { 'subjectIdentificatie.inpBsn': '999993653' }) as XmlNode;
    expect(at(gelijk, 'isAanspreekpuntNamens/gerelateerde/bsVesNummerOfId')?.text).toBe('999993653');
  });

  it('leaves the relation out for a contactpersoon without subject data', () => {
    const object = mapper.toObject('natuurlijk_persoon', nps(null), { verwerkingssoort: 'T' });
    expect(at(object, 'isAanspreekpuntNamens')).toBeUndefined();
  });

  it('sends the fixed authentiek only together with inn.nnpId', () => {
    const withId = mapper.toObject('niet_natuurlijk_persoon', nnp(), { verwerkingssoort: 'T' });
    expect(at(withId, 'isAanspreekpuntNamens/gerelateerde/nietNatuurlijkPersoon/authentiek')?.text).toBe('N');
    const annOnly = mapper.toObject('niet_natuurlijk_persoon', nnp({ innNnpId: '', annIdentificatie: '12345678901234567' }), { verwerkingssoort: 'T' });
    expect(at(annOnly, 'isAanspreekpuntNamens/gerelateerde/nietNatuurlijkPersoon/authentiek')).toBeUndefined();
    expectXsdValid(kennisgeving(mapper.entity('niet_natuurlijk_persoon'), 'T', [annOnly]));
  });
});
