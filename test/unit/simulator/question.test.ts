import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FOUTCODE, startSimulator, type Simulator } from '../../../src/simulator/index.ts';
import { attrValue, child, childrenNamed, NS, type XmlNode } from '../../../src/stuf/xml-node.ts';
import { StufXsdValidator } from '../../../src/stuf/xsd-validator.ts';
import { parseXml } from '../../../src/simulator/xml.ts';
import { envelope, extra, keysOf, lv01, post, textOf, type Entity } from './stuf-fixtures.ts';

const validator = new StufXsdValidator();

/** The answer's objects, asserting the La01 is schema-valid. */
async function ask(sim: Simulator, entity: Entity, o: Parameters<typeof lv01>[1]): Promise<{ body: string; objects: XmlNode[]; vervolg: boolean }> {
  const r = await post(sim.url, lv01(entity, o));
  expect(r.status, r.body).toBe(200);
  expect(validator.validate(r.body).errors).toEqual([]);
  const la01 = child(child(parseXml(r.body), 'Body'), `${entity.toLowerCase()}La01`, NS.bg);
  const objects = childrenNamed(child(la01, 'antwoord', NS.bg), 'object', NS.bg);
  const vervolg = child(child(la01, 'parameters', NS.bg), 'indicatorVervolgvraag', NS.stuf)?.text === 'true';
  return { body: r.body, objects, vervolg };
}

const names = (o: XmlNode | undefined): string[] => (o?.children ?? []).map((c) => c.name);
const extraNamen = (o: XmlNode): string[] => childrenNamed(child(o, 'extraElementen', NS.stuf), 'extraElement', NS.stuf).map((e) => attrValue(e, 'naam') ?? '');
const extraValue = (o: XmlNode | undefined, naam: string): string | undefined =>
  childrenNamed(child(o, 'extraElementen', NS.stuf), 'extraElement', NS.stuf).find((e) => attrValue(e, 'naam') === naam)?.text;

describe('simulator questions (Lv01 → La01)', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 3 });
  });
  afterAll(() => sim.stop());
  afterEach(() => {
    // every message the tests sent must have been valid (the fixtures are the gateway here)
    expect(sim.messages().filter((m) => !m.valid && !m.element.startsWith('Fo'))).toEqual([]);
  });

  it('finds one object by its key in StUF:sleutelOntvangend and answers it as sleutelVerzendend', async () => {
    const target = sim.objects('NPS')[17];
    const { objects } = await ask(sim, 'NPS', { key: target?.key, scopeAttr: 'alles' });
    expect(objects).toHaveLength(1);
    expect(attrValue(objects[0], 'sleutelVerzendend', NS.stuf)).toBe(target?.key);
    expect(attrValue(objects[0], 'entiteittype', NS.stuf)).toBe('NPS');
    expect(names(objects[0])).toEqual(names(target?.element));
  });

  it('answers an unknown key with an empty La01 (no antwoord)', async () => {
    const { body, objects } = await ask(sim, 'NNP', { key: 'NNP9999999999' });
    expect(objects).toHaveLength(0);
    expect(body).not.toContain('antwoord');
  });

  it('selects on an element, on an extraElement and on a nested group element', async () => {
    const target = sim.objects('NPS').find((o) => child(o.element, 'verblijfsadres', NS.bg) && extraValue(o.element, 'klantnummer'));
    const geslachtsnaam = child(target?.element, 'geslachtsnaam', NS.bg)?.text ?? '';
    const bron = extraValue(target?.element, 'bronorganisatie') ?? '';
    const nummer = extraValue(target?.element, 'klantnummer') ?? '';
    const postcode = child(child(target?.element, 'verblijfsadres', NS.bg), 'aoa.postcode', NS.bg)?.text ?? '';

    const byName = await ask(sim, 'NPS', { gelijk: `<BG:geslachtsnaam>${geslachtsnaam}</BG:geslachtsnaam>`, maximumAantal: 0 });
    expect(byName.objects.length).toBeGreaterThanOrEqual(1);
    expect(byName.objects.every((o) => child(o, 'geslachtsnaam', NS.bg)?.text === geslachtsnaam)).toBe(true);
    expect(keysOf(byName.body)).toContain(target?.key);

    const byKlant = await ask(sim, 'NPS', { gelijk: extra({ bronorganisatie: bron, klantnummer: nummer }) });
    expect(keysOf(byKlant.body)).toEqual([target?.key]);

    const byPostcode = await ask(sim, 'NPS', { gelijk: `<BG:verblijfsadres><BG:aoa.postcode>${postcode}</BG:aoa.postcode></BG:verblijfsadres>`, maximumAantal: 0 });
    expect(keysOf(byPostcode.body)).toContain(target?.key);
    for (const o of byPostcode.objects) expect(child(child(o, 'verblijfsadres', NS.bg), 'aoa.postcode', NS.bg)?.text).toBe(postcode);

    const wrongCombination = await ask(sim, 'NPS', { gelijk: `<BG:geslachtsnaam>${geslachtsnaam}</BG:geslachtsnaam>${extra({ klantnummer: 'NIETBEST' })}` });
    expect(wrongCombination.objects).toHaveLength(0);
  });

  it('combines key and gelijk elements', async () => {
    const target = sim.objects('VES')[4];
    const nummer = child(target?.element, 'vestigingsNummer', NS.bg)?.text ?? '';
    expect((await ask(sim, 'VES', { key: target?.key, gelijk: `<BG:vestigingsNummer>${nummer}</BG:vestigingsNummer>` })).objects).toHaveLength(1);
    expect((await ask(sim, 'VES', { key: target?.key, gelijk: '<BG:vestigingsNummer>000000000000</BG:vestigingsNummer>' })).objects).toHaveLength(0);
  });

  it('matches a prefix with StUF:exact="false", case-insensitively', async () => {
    const all = sim.objects('NNP');
    const naam = child(all[5]?.element, 'statutaireNaam', NS.bg)?.text ?? '';
    const prefix = naam.slice(0, 6).toUpperCase();
    const { objects } = await ask(sim, 'NNP', { gelijk: `<BG:statutaireNaam StUF:exact="false">${prefix}</BG:statutaireNaam>`, maximumAantal: 0 });
    const expected = all.filter((o) => (child(o.element, 'statutaireNaam', NS.bg)?.text ?? '').toUpperCase().startsWith(prefix));
    expect(objects.map((o) => attrValue(o, 'sleutelVerzendend', NS.stuf))).toEqual(expected.map((o) => o.key));
  });

  it('returns only the elements the scope names (also inside groups and extraElementen)', async () => {
    const target = sim.objects('NPS').find((o) => child(o.element, 'verblijfsadres', NS.bg) && extraValue(o.element, 'adres.postcode'));
    const { objects } = await ask(sim, 'NPS', {
      key: target?.key,
      scope:
        '<BG:inp.bsn xsi:nil="true"/><BG:geslachtsnaam xsi:nil="true"/><BG:verblijfsadres><BG:aoa.postcode xsi:nil="true"/><BG:aoa.huisnummer xsi:nil="true"/></BG:verblijfsadres>' +
        extra({ klantnummer: null, 'adres.postcode': null }),
    });
    const o = objects[0] as XmlNode;
    expect(names(o).filter((n) => n !== 'extraElementen')).toEqual(['inp.bsn', 'geslachtsnaam', 'verblijfsadres'].filter((n) => child(target?.element, n, NS.bg)));
    expect(names(child(o, 'verblijfsadres', NS.bg))).toEqual(['aoa.postcode', 'aoa.huisnummer']);
    expect(extraNamen(o)).toEqual(['klantnummer', 'adres.postcode']);
    expect(extraValue(o, 'klantnummer')).toBe(extraValue(target?.element, 'klantnummer'));
  });

  it('returns the kerngegevens for StUF:scope="kerngegevens" and everything for "alles"', async () => {
    const target = sim.objects('NPS')[0];
    const kern = await ask(sim, 'NPS', { key: target?.key, scopeAttr: 'kerngegevens' });
    expect(names(kern.objects[0]).every((n) => ['inp.bsn', 'anp.identificatie', 'inp.a-nummer', 'geslachtsnaam', 'voorvoegselGeslachtsnaam', 'voorletters', 'voornamen', 'geslachtsaanduiding', 'geboortedatum', 'verblijfsadres', 'sub.verblijfBuitenland'].includes(n))).toBe(true);
    expect(names(kern.objects[0])).toContain('geslachtsnaam');
    expect(names(kern.objects[0])).not.toContain('extraElementen');
    const alles = await ask(sim, 'NPS', { key: target?.key, scopeAttr: 'alles' });
    expect(names(alles.objects[0])).toEqual(names(target?.element));
    const noScope = await ask(sim, 'NPS', { key: target?.key });
    expect(names(noScope.objects[0])).toEqual(names(target?.element));
  });

  it('pages in key order with maximumAantal, indicatorVervolgvraag and start', async () => {
    const expected = sim.objects('VES').map((o) => o.key);
    const seen: string[] = [];
    let start: string | undefined;
    for (let page = 0; page < 100; page++) {
      const r = await ask(sim, 'VES', { maximumAantal: 7, scope: '<BG:vestigingsNummer xsi:nil="true"/>', ...(start ? { start: { key: start } } : {}) });
      const keys = keysOf(r.body);
      expect(keys.length).toBeLessThanOrEqual(7);
      seen.push(...keys);
      start = keys[keys.length - 1];
      if (!r.vervolg) break;
      expect(keys).toHaveLength(7);
    }
    expect(seen).toEqual(expected);
  });

  it('finds the start object by content when it carries no key', async () => {
    const all = sim.objects('NNP');
    const second = all[1];
    const nnpId = child(second?.element, 'inn.nnpId', NS.bg)?.text ?? child(second?.element, 'ann.identificatie', NS.bg)?.text;
    const el = child(second?.element, 'inn.nnpId', NS.bg) ? 'inn.nnpId' : 'ann.identificatie';
    const r = await ask(sim, 'NNP', { maximumAantal: 2, start: { inner: `<BG:${el}>${nnpId}</BG:${el}>` } });
    expect(keysOf(r.body)).toEqual([all[2]?.key, all[3]?.key]);
  });

  it('uses the schema default of 15 and reports aantalVoorkomens on request', async () => {
    const r = await ask(sim, 'NPS', { indicatorAantal: true, scope: '<BG:geslachtsnaam xsi:nil="true"/>' });
    expect(r.objects).toHaveLength(15);
    expect(r.vervolg).toBe(true);
    expect(textOf(r.body, 'aantalVoorkomens')).toBe(String(sim.stats().objects.NPS));
  });

  it('answers Fo02 for what it cannot answer', async () => {
    const vanaf = lv01('NPS', {}).replace('</BG:parameters>', '</BG:parameters><BG:vanaf StUF:entiteittype="NPS"><BG:geslachtsnaam>A</BG:geslachtsnaam></BG:vanaf>');
    let r = await post(sim.url, vanaf);
    expect(r.status).toBe(500);
    expect(validator.validate(r.body)).toMatchObject({ valid: true, element: 'Fo02Bericht' });
    expect(textOf(r.body, 'code')).toBe(FOUTCODE.unsupported);

    // a valid question for an entity this backend does not hold
    const aoa = lv01('NPS', {}).replaceAll('npsLv01', 'aoaLv01').replace('<StUF:entiteittype>NPS', '<StUF:entiteittype>AOA');
    r = await post(sim.url, aoa);
    expect(r.status).toBe(500);
    expect(textOf(r.body, 'code')).toBe(FOUTCODE.unsupported);
    expect(r.body).toContain('Fo02Bericht');
  });

  it('accepts any prefixes and a default namespace', async () => {
    const target = sim.objects('NPS')[2];
    const xml = envelope(
      `<npsLv01 xmlns="${NS.bg}" xmlns:s="${NS.stuf}"><stuurgegevens><s:berichtcode>Lv01</s:berichtcode><s:entiteittype>NPS</s:entiteittype></stuurgegevens>` +
        `<parameters><s:sortering>0</s:sortering><s:indicatorVervolgvraag>false</s:indicatorVervolgvraag></parameters>` +
        `<gelijk s:entiteittype="NPS" s:sleutelOntvangend="${target?.key}"/><scope><object s:entiteittype="NPS"><geslachtsnaam/></object></scope></npsLv01>`,
    );
    const r = await post(sim.url, xml);
    expect(r.status).toBe(200);
    expect(validator.validate(r.body).valid).toBe(true);
    expect(keysOf(r.body)).toEqual([target?.key]);
  });
});
