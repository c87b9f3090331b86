// gelijk (backend-side filter), scope and the in-gateway filter `matches`. Every question the
// mapping builds is validated against the XSD inside a full Lv01.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { KlantFilter } from '../../../src/backend/klanten-backend.ts';
import type { KlantData, SubjectType } from '../../../src/domain/klant.ts';
import { KlantMapper, parseMapping } from '../../../src/mapping/index.ts';
import { attrValue, child, type XmlNode } from '../../../src/stuf/xml-node.ts';
import { buitenland, nnp, nps, ves } from './fixtures.ts';
import { vraag } from './stuf-text.ts';
import { at, bgMapper, expectXsdValid, extra, MAPPING_FILE, xsd } from './support.ts';

afterAll(() => xsd().dispose());
const mapper = bgMapper();
const SUBJECT_TYPES: SubjectType[] = ['natuurlijk_persoon', 'niet_natuurlijk_persoon', 'vestiging'];

const FILTER_KEYS = [
  'bronorganisatie',
  'klantnummer',
  'bedrijfsnaam',
  'functie',
  'achternaam',
  'telefoonnummer',
  'emailadres',
  'adres.straatnaam',
  'adres.postcode',
  'adres.woonplaatsnaam',
  'adres.landcode',
  'subject',
  'subjectIdentificatie.inpBsn',
  'subjectIdentificatie.anpIdentificatie',
  'subjectIdentificatie.inpANummer',
  'subjectIdentificatie.innNnpId',
  'subjectIdentificatie.annIdentificatie',
  'subjectIdentificatie.vestigingsNummer',
] as const satisfies readonly (keyof KlantFilter)[];

const KLANTEN: KlantData[] = [
  nps(),
  nps({ inpBsn: '', anpIdentificatie: '00000000000012345', verblijfsadres: null, subVerblijfBuitenland: buitenland() }),
  nps({ inpBsn: '12345', anpIdentificatie: 'ANP-1' }),
  nnp(),
  nnp({ innNnpId: '', annIdentificatie: '12345678901234567' }),
  ves(),
  ves({ vestigingsNummer: '123' }),
];

function text(data: KlantData, key: string): string {
  let cur: unknown = data;
  for (const p of key.split('.')) cur = cur === null || cur === undefined ? undefined : (cur as Record<string, unknown>)[p];
  return cur === null || cur === undefined ? '' : String(cur);
}

/** Every criterion in gelijk must equal what toObject wrote for the same klant at the same place. */
function expectCriteriaMatchObject(gelijk: XmlNode, object: XmlNode): void {
  const walk = (node: XmlNode, path: string): void => {
    for (const c of node.children) {
      if (c.name === 'extraElementen') {
        for (const x of c.children) {
          const naam = attrValue(x, 'naam') ?? '';
          expect(extra(object, naam).map((o) => o.text), naam).toContain(x.text);
        }
      } else if (c.children.length > 0) walk(c, `${path}${c.name}/`);
      else expect(at(object, `${path}${c.name}`)?.text, `${path}${c.name}`).toBe(c.text);
    }
  };
  walk(gelijk, '');
}

describe('gelijk', () => {
  it.each(KLANTEN.map((k) => [k.subjectType, k] as const))('%s: each filter built from a stored klant selects it and is XSD-valid', (_t, data) => {
    const subjectType = data.subjectType as SubjectType;
    const entity = mapper.entity(subjectType);
    const object = mapper.toObject(subjectType, data, { verwerkingssoort: 'T' });
    const stored = mapper.toKlant(subjectType, object);
    for (const key of FILTER_KEYS) {
      const filter: KlantFilter = { [key]: text(stored, key), subjectType };
      if (filter[key] === '') continue;
      const gelijk = mapper.gelijk(subjectType, filter);
      expect(gelijk, key).not.toBe('impossible');
      if (gelijk === 'impossible') continue;
      expectXsdValid(vraag(entity, gelijk, mapper.scope(subjectType, [key])));
      expectCriteriaMatchObject(gelijk, object);
      expect(mapper.matches(stored, filter), key).toBe(true);
    }
  });

  it('puts filterable fields in gelijk in schema order, with the entiteittype', () => {
    const gelijk = mapper.gelijk('natuurlijk_persoon', {
      klantnummer: '00012345',
      telefoonnummer: '0101234567',
      'subjectIdentificatie.inpBsn': '999993653',
      'subjectIdentificatie.inpANummer': '1234567890',
      'adres.postcode': '3011 AB',
    }) as XmlNode;
    expect(attrValue(gelijk, 'entiteittype')).toBe('NPS');
    expect(gelijk.name).toBe('gelijk');
    expect(gelijk.children.map((c) => c.name)).toEqual(['inp.bsn', 'inp.a-nummer', 'sub.telefoonnummer', 'extraElementen']);
    expect(child(gelijk, 'extraElementen')?.children.map((x) => [attrValue(x, 'naam'), x.text])).toEqual([
      ['klantnummer', '00012345'],
      ['adres.postcode', '3011 AB'],
    ]);
  });

  it('leaves out what the backend cannot filter on: no gelijk marker, empty value, or a value displaced by a choice', () => {
    const gelijk = mapper.gelijk('natuurlijk_persoon', {
      'subjectIdentificatie.anpIdentificatie': '12345678901234567',
      bronorganisatie: '',
    }) as XmlNode;
    expect(gelijk.children).toEqual([]);
    expectXsdValid(vraag(mapper.entity('natuurlijk_persoon'), gelijk, mapper.scope('natuurlijk_persoon')));
  });

  it('asks for a value too big for its element in the fallback extraElement', () => {
    const gelijk = mapper.gelijk('vestiging', { 'subjectIdentificatie.vestigingsNummer': '123' }) as XmlNode;
    expect(gelijk.children.map((c) => c.name)).toEqual(['extraElementen']);
    expect(extra(gelijk, 'subjectIdentificatie.vestigingsNummer').map((x) => x.text)).toEqual(['123']);
    const exact = mapper.gelijk('vestiging', { 'subjectIdentificatie.vestigingsNummer': '000012345678' }) as XmlNode;
    expect(at(exact, 'vestigingsNummer')?.text).toBe('000012345678');
  });

  const IMPOSSIBLE: [string, SubjectType, KlantFilter][] = [
    ['another subjectType', 'natuurlijk_persoon', { subjectType: 'vestiging' }],
    ['a BSN on a vestiging', 'vestiging', { 'subjectIdentificatie.inpBsn': '999993653' }],
    ['an A-nummer on an NNP', 'niet_natuurlijk_persoon', { 'subjectIdentificatie.inpANummer': '1234567890' }],
    ['an nnpId on a person', 'natuurlijk_persoon', { 'subjectIdentificatie.innNnpId': '001234566' }],
    ['an ann identificatie on a vestiging', 'vestiging', { 'subjectIdentificatie.annIdentificatie': '1' }],
    ['a vestigingsnummer on a person', 'natuurlijk_persoon', { klantnummer: '1', 'subjectIdentificatie.vestigingsNummer': '000012345678' }],
  ];
  it.each(IMPOSSIBLE)('is impossible for %s', (_n, subjectType, filter) => {
    expect(mapper.gelijk(subjectType, filter)).toBe('impossible');
  });

  it('is possible for the own subjectType and for an empty foreign field', () => {
    expect(mapper.gelijk('vestiging', { subjectType: 'vestiging', 'subjectIdentificatie.inpBsn': '' })).not.toBe('impossible');
  });

  it.each(SUBJECT_TYPES)('gelijkByKey selects one %s by sleutelOntvangend (XSD-valid)', (subjectType) => {
    const gelijk = mapper.gelijkByKey(subjectType, 'abc-123');
    expect(attrValue(gelijk, 'sleutelOntvangend')).toBe('abc-123');
    expect(gelijk.children).toEqual([]);
    expectXsdValid(vraag(mapper.entity(subjectType), gelijk, mapper.scope(subjectType)));
  });
});

describe('scope', () => {
  it.each(SUBJECT_TYPES)('%s: every mapped element by default, XSD-valid', (subjectType) => {
    const scope = mapper.scope(subjectType);
    expectXsdValid(vraag(mapper.entity(subjectType), undefined, scope));
    expect(scope.name).toBe('object');
    expect(attrValue(scope, 'entiteittype')).toBe(mapper.entity(subjectType).entiteittype);
    // Every element a kennisgeving of a full klant sends is asked for.
    const full = { natuurlijk_persoon: nps({ subVerblijfBuitenland: buitenland() }), niet_natuurlijk_persoon: nnp({ subVerblijfBuitenland: buitenland() }), vestiging: ves() }[subjectType];
    const object = mapper.toObject(subjectType, full, { verwerkingssoort: 'W' });
    for (const c of object.children) {
      if (c.name === 'extraElementen') {
        for (const x of c.children) expect(extra(scope, attrValue(x, 'naam') ?? '').length, attrValue(x, 'naam')).toBe(1);
      } else {
        expect(child(scope, c.name), c.name).toBeDefined();
        for (const g of c.children) expect(at(scope, `${c.name}/${g.name}`), `${c.name}/${g.name}`).toBeDefined();
      }
    }
    expect(child(scope, 'verblijfsadres') !== undefined || subjectType === 'niet_natuurlijk_persoon').toBe(true);
    expect(child(scope, 'sub.verblijfBuitenland')).toBeDefined();
  });

  it('asks for scope elements as empty xsi:nil elements without noValue', () => {
    const scope = mapper.scope('natuurlijk_persoon', ['subjectIdentificatie.inpBsn']);
    const bsn = child(scope, 'inp.bsn');
    expect(attrValue(bsn, 'nil')).toBe('true');
    expect(attrValue(bsn, 'noValue')).toBeUndefined();
    expect(scope.children.map((c) => c.name)).toEqual(['inp.bsn', 'extraElementen']);
    expect(extra(scope, 'subjectIdentificatie.inpBsn')).toHaveLength(1);
  });

  it('narrows to the requested fields; a group name asks for the whole group', () => {
    const scope = mapper.scope('natuurlijk_persoon', ['klantnummer', 'subjectIdentificatie.verblijfsadres']);
    expect(scope.children.map((c) => c.name)).toEqual(['verblijfsadres', 'extraElementen']);
    expect(child(scope, 'verblijfsadres')?.children.map((c) => c.name)).toEqual([
      'aoa.identificatie',
      'wpl.woonplaatsNaam',
      'gor.openbareRuimteNaam',
      'aoa.postcode',
      'aoa.huisnummer',
      'aoa.huisletter',
      'aoa.huisnummertoevoeging',
      'inp.locatiebeschrijving',
    ]);
    const names = child(scope, 'extraElementen')?.children.map((x) => attrValue(x, 'naam'));
    expect(names).toContain('klantnummer');
    expect(names).toContain('subjectIdentificatie.verblijfsadres.aoaPostcode');
    expect(names).not.toContain('bronorganisatie');
    expectXsdValid(vraag(mapper.entity('natuurlijk_persoon'), undefined, scope));
  });

  it('the adres group lives entirely in extraElementen', () => {
    const scope = mapper.scope('vestiging', ['adres']);
    expect(scope.children.map((c) => c.name)).toEqual(['extraElementen']);
    expect(child(scope, 'extraElementen')?.children.map((x) => attrValue(x, 'naam'))).toEqual([
      'adres.straatnaam',
      'adres.huisnummer',
      'adres.huisletter',
      'adres.huisnummertoevoeging',
      'adres.postcode',
      'adres.woonplaatsnaam',
      'adres.landcode',
    ]);
  });

  it('uses a StUF:scope attribute when the dialect says so and no fields are named', () => {
    const text = readFileSync(MAPPING_FILE, 'utf8').replace('sortering: 1 # VES-sortering 1: vestigingsNummer\n    defaultScope: mapped', 'sortering: 1\n    defaultScope: alles');
    const alles = new KlantMapper(parseMapping(text, 'alles.yaml'));
    const scope = alles.scope('vestiging');
    expect(attrValue(scope, 'scope')).toBe('alles');
    expect(scope.children).toEqual([]);
    expectXsdValid(vraag(alles.entity('vestiging'), undefined, scope));
    expect(alles.scope('vestiging', ['klantnummer']).children.map((c) => c.name)).toEqual(['extraElementen']);
  });

  it('fields that map to nothing give an empty (valid) scope object', () => {
    const scope = mapper.scope('niet_natuurlijk_persoon', ['url', 'subjectType']);
    expect(scope.children).toEqual([]);
    expectXsdValid(vraag(mapper.entity('niet_natuurlijk_persoon'), undefined, scope));
  });
});

describe('matches', () => {
  const data = nps();
  const CASES: [string, KlantFilter, boolean][] = [
    ['no criteria', {}, true],
    ['equal klantnummer', { klantnummer: '00012345' }, true],
    ['klantnummer without leading zeros', { klantnummer: '12345' }, false],
    ['equal nested field', { 'subjectIdentificatie.inpBsn': '999993653' }, true],
    ['adres field', { 'adres.postcode': '3011 AB' }, true],
    ['adres field, other spelling', { 'adres.postcode': '3011AB' }, false],
    ['case matters', { achternaam: 'hoëvenaar-çelik' }, false],
    ['all of several', { klantnummer: '00012345', subjectType: 'natuurlijk_persoon', achternaam: 'Hoëvenaar-Çelik' }, true],
    ['one of several fails', { klantnummer: '00012345', subjectType: 'vestiging' }, false],
    ['empty value equals an empty field', { 'subjectIdentificatie.anpIdentificatie': '' }, true],
    ['field of another subject type is empty', { 'subjectIdentificatie.vestigingsNummer': '' }, true],
    ['field of another subject type with a value', { 'subjectIdentificatie.vestigingsNummer': '1' }, false],
  ];
  it.each(CASES)('%s', (_n, filter, expected) => {
    expect(mapper.matches(data, filter)).toBe(expected);
  });

  it('compares with a null subjectIdentificatie and adres as empty', () => {
    const bare = nps(null, { adres: null });
    expect(mapper.matches(bare, { 'adres.postcode': '' })).toBe(true);
    expect(mapper.matches(bare, { 'subjectIdentificatie.inpBsn': '999993653' })).toBe(false);
  });
});

describe('entities', () => {
  it('lists the dialect metadata', () => {
    expect(mapper.entities).toEqual([
      { subjectType: 'natuurlijk_persoon', entiteittype: 'NPS', namespace: 'http://www.egem.nl/StUF/sector/bg/0310', questionMessage: 'npsLv01', answerMessage: 'npsLa01', kennisgevingMessage: 'npsLk01', sortering: 8, shared: false },
      { subjectType: 'niet_natuurlijk_persoon', entiteittype: 'NNP', namespace: 'http://www.egem.nl/StUF/sector/bg/0310', questionMessage: 'nnpLv01', answerMessage: 'nnpLa01', kennisgevingMessage: 'nnpLk01', sortering: 1, shared: false },
      { subjectType: 'vestiging', entiteittype: 'VES', namespace: 'http://www.egem.nl/StUF/sector/bg/0310', questionMessage: 'vesLv01', answerMessage: 'vesLa01', kennisgevingMessage: 'vesLk01', sortering: 1, shared: false },
    ]);
    expect(mapper.entity('vestiging').entiteittype).toBe('VES');
  });

  it('tells the subjectType of an answer object from its entiteittype', () => {
    const object = mapper.toObject('niet_natuurlijk_persoon', nnp(), { verwerkingssoort: 'T' });
    expect(mapper.subjectTypeOf(object)).toBe('niet_natuurlijk_persoon');
    expect(mapper.subjectTypeOf({ ...object, attrs: [] })).toBeNull();
  });
});
