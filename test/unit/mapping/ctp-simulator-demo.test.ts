// The CTP mapping against the other side: the simulator's StUF-ZKN demo contactpersonen and its
// kennisgeving processing (which checks an old object, relation included, against what it
// stores). Every demo contactpersoon must read as a Klant of its subjectType, and changes built
// with toChange must be accepted and read back as the new state.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { KlantData, SubjectType } from '../../../src/domain/klant.ts';
import { KlantMapper, loadMapping } from '../../../src/mapping/index.ts';
import { demoSnapshot } from '../../../src/simulator/demo/demo-data.ts';
import { applyKennisgeving } from '../../../src/simulator/mutation.ts';
import { ObjectStore, type StoredObject } from '../../../src/simulator/store.ts';
import { buildLk01, buildXml, type Mutatiesoort } from '../../../src/stuf/index.ts';
import { attr, el, NS, type XmlNode } from '../../../src/stuf/xml-node.ts';
import { buitenland, nnp, nps, ves } from './fixtures.ts';
import { expectSameKlant, expectXsdValid, xsd } from './support.ts';

afterAll(() => xsd().dispose());
const mapper = new KlantMapper(loadMapping(path.resolve(import.meta.dirname, '../../../mappings/stuf-zkn-0310-ctp.yaml')));
const TYPES: SubjectType[] = ['natuurlijk_persoon', 'niet_natuurlijk_persoon', 'vestiging'];

function freshStore(): ObjectStore {
  const store = new ObjectStore();
  store.load(demoSnapshot({ seed: 20240102, count: 9, ctpCount: 36 }));
  return store;
}

const asAnswer = (o: StoredObject): XmlNode => el(NS.zkn, 'object', o.children, [attr(NS.stuf, 'entiteittype', 'CTP'), attr(NS.stuf, 'sleutelVerzendend', o.key)]);

function send(store: ObjectStore, mutatiesoort: Mutatiesoort, objects: XmlNode[]): string {
  const e = mapper.entity('natuurlijk_persoon');
  const lk01 = buildLk01({
    namespace: e.namespace,
    messageName: e.kennisgevingMessage,
    entiteittype: e.entiteittype,
    mutatiesoort,
    objects,
    stuurgegevens: { zender: { applicatie: 'klantbrug' }, ontvanger: { applicatie: 'simulator' }, referentienummer: 'r', tijdstipBericht: '20240102030405' },
  });
  expectXsdValid(buildXml(lk01));
  return applyKennisgeving(store, 'CTP', lk01).key;
}

function read(store: ObjectStore, key: string): KlantData {
  const o = store.get('CTP', key) as StoredObject;
  expect(o, key).toBeDefined();
  const type = mapper.subjectTypeOf(asAnswer(o));
  expect(type, key).not.toBeNull();
  return mapper.toKlant(type as SubjectType, asAnswer(o));
}

describe('simulator demo contactpersonen', () => {
  it('every one reads into a complete Klant of its subjectType; all three types occur, some without subject data', () => {
    const store = freshStore();
    const seen = new Map<string, number>();
    let withoutSubject = 0;
    for (const o of store.list('CTP')) {
      const k = read(store, o.key);
      seen.set(k.subjectType as string, (seen.get(k.subjectType as string) ?? 0) + 1);
      if (k.subjectIdentificatie === null) withoutSubject++;
      expect(k.bronorganisatie, o.key).not.toBe('');
      expect(k.klantnummer, o.key).not.toBe('');
    }
    expect([...seen.keys()].sort()).toEqual([...TYPES].sort());
    expect(withoutSubject).toBeGreaterThanOrEqual(3);
  });

  it('a change of contact data and of the subject is accepted for every one and reads back', () => {
    const store = freshStore();
    for (const o of [...store.list('CTP')]) {
      const before = read(store, o.key);
      const after: KlantData = { ...before, telefoonnummer: '0201234567', functie: 'gewijzigd', adres: null, subjectIdentificatie: null };
      send(store, 'W', mapper.toChange(before.subjectType as SubjectType, before, after, o.key));
      expectSameKlant(read(store, o.key), after);
    }
  });

  it.each(TYPES)('a created %s reads back, changes its subject, and is removed by key', (subjectType) => {
    const store = freshStore();
    const created = { natuurlijk_persoon: nps(), niet_natuurlijk_persoon: nnp(), vestiging: ves() }[subjectType];
    const key = send(store, 'T', [mapper.toObject(subjectType, created, { verwerkingssoort: 'T' })]);
    expectSameKlant(read(store, key), created);
    const subject = created.subjectIdentificatie as unknown as Record<string, unknown>;
    const changes = subjectType === 'niet_natuurlijk_persoon' ? { statutaireNaam: 'Nieuw' } : { verblijfsadres: null };
    const next: KlantData = { ...created, subjectIdentificatie: { ...subject, ...changes, subVerblijfBuitenland: buitenland() } as never };
    send(store, 'W', mapper.toChange(subjectType, created, next, key));
    expectSameKlant(read(store, key), next);
    send(store, 'V', [mapper.toObject(subjectType, next, { verwerkingssoort: 'V', key })]);
    expect(store.get('CTP', key)).toBeUndefined();
  });
});
