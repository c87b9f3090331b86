import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../src/simulator/index.ts';
import { demoSnapshot } from '../../../src/simulator/demo/demo-data.ts';
import { passesElfproef } from '../../../src/simulator/demo/elfproef.ts';
import { attrValue, child, childrenNamed, isNoValue, NS, type XmlNode } from '../../../src/stuf/xml-node.ts';
import { StufXsdValidator } from '../../../src/stuf/xsd-validator.ts';
import { keysOf, lv01, post, type Entity } from './stuf-fixtures.ts';

const bg = (o: XmlNode, name: string): XmlNode | undefined => child(o, name, NS.bg);
const extras = (o: XmlNode): Map<string, XmlNode> =>
  new Map(childrenNamed(child(o, 'extraElementen', NS.stuf), 'extraElement', NS.stuf).map((e) => [attrValue(e, 'naam') ?? '', e]));

describe('demo data', () => {
  let sim: Simulator;
  const validator = new StufXsdValidator();
  const all: { entity: Entity; key: string; el: XmlNode }[] = [];

  beforeAll(async () => {
    sim = await startSimulator({ seed: 42 });
    for (const entity of ['NPS', 'NNP', 'VES'] as const) {
      for (const o of sim.objects(entity)) all.push({ entity, key: o.key, el: o.element });
    }
  });
  afterAll(() => sim.stop());

  it('has at least 250 klanten over NPS, NNP and VES', () => {
    const s = sim.stats().objects;
    expect(s.NPS + s.NNP + s.VES).toBeGreaterThanOrEqual(250);
    expect(Math.min(s.NPS, s.NNP, s.VES)).toBeGreaterThanOrEqual(40);
  });

  it('is deterministic per seed and differs between seeds', () => {
    const a = JSON.stringify(demoSnapshot({ seed: 7, count: 270 }));
    expect(JSON.stringify(demoSnapshot({ seed: 7, count: 270 }))).toBe(a);
    expect(JSON.stringify(demoSnapshot({ seed: 8, count: 270 }))).not.toBe(a);
  });

  it('answers every object with full scope in a schema-valid La01', async () => {
    for (const entity of ['NPS', 'NNP', 'VES'] as const) {
      const r = await post(sim.url, lv01(entity, { scopeAttr: 'alles', maximumAantal: 0 }));
      expect(r.status).toBe(200);
      const v = validator.validate(r.body);
      expect(v.errors).toEqual([]);
      expect(v.element).toBe(`${entity.toLowerCase()}La01`);
      expect(keysOf(r.body)).toEqual(sim.objects(entity).map((o) => o.key));
    }
  });

  it('carries bronorganisatie (valid RSIN) and a klantnummer unique per bronorganisatie on every klant', () => {
    const seen = new Set<string>();
    for (const { el } of all) {
      const x = extras(el);
      const bron = x.get('bronorganisatie')?.text ?? '';
      const nummer = x.get('klantnummer')?.text ?? '';
      expect(passesElfproef(bron)).toBe(true);
      expect(nummer.length).toBeGreaterThan(0);
      expect(nummer.length).toBeLessThanOrEqual(8);
      expect(seen.has(`${bron}/${nummer}`)).toBe(false);
      seen.add(`${bron}/${nummer}`);
    }
    expect(new Set(all.map(({ el }) => extras(el).get('bronorganisatie')?.text)).size).toBeGreaterThan(1);
  });

  it('uses valid, unique BSNs and RSINs', () => {
    const bsns = all.filter((o) => o.entity === 'NPS').flatMap((o) => (bg(o.el, 'inp.bsn') ? [bg(o.el, 'inp.bsn')?.text ?? ''] : []));
    const rsins = all.filter((o) => o.entity === 'NNP').flatMap((o) => (bg(o.el, 'inn.nnpId') ? [bg(o.el, 'inn.nnpId')?.text ?? ''] : []));
    expect(bsns.length).toBeGreaterThan(100);
    for (const n of [...bsns, ...rsins]) expect(passesElfproef(n), n).toBe(true);
    expect(new Set(bsns).size).toBe(bsns.length);
    expect(new Set(rsins).size).toBe(rsins.length);
  });

  it('contains the edge cases', () => {
    const nps = all.filter((o) => o.entity === 'NPS').map((o) => o.el);
    const nnp = all.filter((o) => o.entity === 'NNP').map((o) => o.el);
    const ves = all.filter((o) => o.entity === 'VES').map((o) => o.el);
    const some = (list: XmlNode[], pred: (o: XmlNode) => boolean): boolean => list.some(pred);
    const text = (o: XmlNode, n: string): string => bg(o, n)?.text ?? '';

    expect(some(nps, (o) => !!bg(o, 'anp.identificatie') && !bg(o, 'inp.bsn'))).toBe(true);
    expect(some(nps, (o) => attrValue(bg(o, 'geboortedatum'), 'indOnvolledigeDatum', NS.stuf) === 'M')).toBe(true);
    expect(some(nps, (o) => attrValue(bg(o, 'geboortedatum'), 'indOnvolledigeDatum', NS.stuf) === 'D')).toBe(true);
    expect(some(nps, (o) => !!bg(o, 'sub.verblijfBuitenland'))).toBe(true);
    expect(some(nnp, (o) => !!bg(o, 'sub.verblijfBuitenland'))).toBe(true);
    expect(some(ves, (o) => !!bg(o, 'sub.verblijfBuitenland'))).toBe(true);
    expect(some(nps, (o) => !bg(o, 'verblijfsadres') && !bg(o, 'sub.verblijfBuitenland') && ![...extras(o).keys()].some((k) => k.startsWith('adres.')))).toBe(true);
    expect(some(ves, (o) => childrenNamed(o, 'handelsnaam', NS.bg).length >= 3)).toBe(true);
    // noValue on elements and on extraElementen
    expect(some(nps, (o) => isNoValue(bg(o, 'sub.telefoonnummer') ?? { ns: '', name: '', attrs: [], children: [], text: 'x' }))).toBe(true);
    expect(some(nps, (o) => [...extras(o).values()].some(isNoValue))).toBe(true);
    expect(some(nnp, (o) => !!bg(o, 'ann.identificatie'))).toBe(true);
    // maximum lengths
    expect(some(nps, (o) => text(o, 'geslachtsnaam').length === 200)).toBe(true);
    expect(some(nps, (o) => text(o, 'voornamen').length === 200)).toBe(true);
    expect(some(nps, (o) => text(o, 'sub.emailadres').length === 254)).toBe(true);
    expect(some(nps, (o) => text(o, 'sub.url').length === 200)).toBe(true);
    expect(some(nps, (o) => text(o, 'sub.telefoonnummer').length === 20)).toBe(true);
    expect(some(nnp, (o) => text(o, 'statutaireNaam').length === 500)).toBe(true);
    expect(some(ves, (o) => childrenNamed(o, 'handelsnaam', NS.bg).some((h) => h.text.length === 200))).toBe(true);
    // diacritics
    const everything = all.map((o) => JSON.stringify(o.el)).join('');
    for (const ch of ['ë', 'é', 'ü', 'ç', 'Ø', 'ö']) expect(everything).toContain(ch);
    // the extraElement names of docs/stuf-bg-dialect.md
    const names = new Set(all.flatMap((o) => [...extras(o.el).keys()]));
    for (const n of ['bronorganisatie', 'klantnummer', 'bedrijfsnaam', 'functie', 'voornaam', 'voorvoegselAchternaam', 'achternaam', 'subject', 'adres.straatnaam', 'adres.huisnummer', 'adres.postcode', 'adres.woonplaatsnaam', 'adres.landcode']) {
      expect(names.has(n), n).toBe(true);
    }
  });
});
