// The mapping against the other side of the agreed layout: the simulator's demo data (which
// follows docs/stuf-bg-dialect.md, edge cases included) and its kennisgeving processing, which
// checks an old object against what it stores. Every demo klant must read, and a change built
// with toChange must be accepted and read back as the new state.
import { afterAll, describe, expect, it } from 'vitest';
import type { KlantData, SubjectType } from '../../../src/domain/klant.ts';
import { demoSnapshot } from '../../../src/simulator/demo/demo-data.ts';
import type { BgEntityCode as EntityCode } from '../../../src/simulator/entity-model.ts';
import { applyKennisgeving } from '../../../src/simulator/mutation.ts';
import { ObjectStore, type StoredObject } from '../../../src/simulator/store.ts';
import { buildLk01, buildXml, type Mutatiesoort } from '../../../src/stuf/index.ts';
import { attr, el, NS, type XmlNode } from '../../../src/stuf/xml-node.ts';
import { buitenland, nnp, nps, ves } from './fixtures.ts';
import { bgMapper, expectSameKlant, expectXsdValid, xsd } from './support.ts';

afterAll(() => xsd().dispose());
const mapper = bgMapper();
const SUBJECT: Record<EntityCode, SubjectType> = { NPS: 'natuurlijk_persoon', NNP: 'niet_natuurlijk_persoon', VES: 'vestiging' };
const CODES: EntityCode[] = ['NPS', 'NNP', 'VES'];

function freshStore(): ObjectStore {
  const store = new ObjectStore();
  store.load(demoSnapshot({ seed: 20240102, count: 90 }));
  return store;
}

/** A stored object as the simulator answers it. */
const asAnswer = (o: StoredObject): XmlNode => el(NS.bg, 'object', o.children, [attr(NS.stuf, 'entiteittype', o.entity), attr(NS.stuf, 'sleutelVerzendend', o.key)]);

/** Send a kennisgeving the way the gateway would: XSD-valid, then processed by the simulator. */
function send(store: ObjectStore, code: EntityCode, mutatiesoort: Mutatiesoort, objects: XmlNode[]): string {
  const e = mapper.entity(SUBJECT[code]);
  const lk01 = buildLk01({
    namespace: e.namespace,
    messageName: e.kennisgevingMessage,
    entiteittype: e.entiteittype,
    mutatiesoort,
    objects,
    stuurgegevens: { zender: { applicatie: 'klantbrug' }, ontvanger: { applicatie: 'simulator' }, referentienummer: 'r', tijdstipBericht: '20240102030405' },
  });
  expectXsdValid(buildXml(lk01));
  return applyKennisgeving(store, code, lk01).key;
}

const read = (store: ObjectStore, code: EntityCode, key: string): KlantData => {
  const o = store.get(code, key);
  expect(o, key).toBeDefined();
  return mapper.toKlant(SUBJECT[code], asAnswer(o as StoredObject));
};

describe.each(CODES)('simulator demo %s', (code) => {
  const subjectType = SUBJECT[code];

  it('every demo klant reads into a complete Klant of its subjectType', () => {
    const store = freshStore();
    expect(store.count(code)).toBeGreaterThan(10);
    for (const o of store.list(code)) {
      const k = mapper.toKlant(subjectType, asAnswer(o));
      expect(k.subjectType).toBe(subjectType);
      expect(k.bronorganisatie, o.key).not.toBe('');
      expect(k.klantnummer, o.key).not.toBe('');
      expect(mapper.subjectTypeOf(asAnswer(o))).toBe(subjectType);
    }
  });

  it('a change of contact data is accepted for every demo klant and reads back', () => {
    const store = freshStore();
    for (const o of [...store.list(code)]) {
      const before = read(store, code, o.key);
      const after: KlantData = { ...before, telefoonnummer: '0201234567', functie: 'gewijzigd', adres: null };
      const [oud, nieuw] = mapper.toChange(subjectType, before, after, o.key);
      send(store, code, 'W', [oud, nieuw]);
      expectSameKlant(read(store, code, o.key), after);
    }
  });

  it('nothing changed: both objects of the pair are empty', () => {
    const store = freshStore();
    const [first] = store.list(code);
    const before = read(store, code, (first as StoredObject).key);
    const [oud, nieuw] = mapper.toChange(subjectType, before, before, 'k');
    expect([oud.children, nieuw.children]).toEqual([[], []]);
  });

  it('a created klant reads back, changes subject data, and is removed by key', () => {
    const store = freshStore();
    const created = { NPS: nps(), NNP: nnp(), VES: ves() }[code];
    const key = send(store, code, 'T', [mapper.toObject(subjectType, created, { verwerkingssoort: 'T' })]);
    expectSameKlant(read(store, code, key), created);

    // Abroad now (NPS/VES: instead of the verblijfsadres, a choice in the XSD), NNP also renamed.
    const subject = created.subjectIdentificatie as unknown as Record<string, unknown>;
    const changes = code === 'NNP' ? { statutaireNaam: 'Nieuw' } : { verblijfsadres: null };
    const next: KlantData = { ...created, subjectIdentificatie: { ...subject, ...changes, subVerblijfBuitenland: buitenland() } as never };
    send(store, code, 'W', mapper.toChange(subjectType, created, next, key));
    expectSameKlant(read(store, code, key), next);

    send(store, code, 'V', [mapper.toObject(subjectType, next, { verwerkingssoort: 'V', key })]);
    expect(store.get(code, key)).toBeUndefined();
  });
});
