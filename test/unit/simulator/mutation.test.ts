import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FOUTCODE, startSimulator, type Simulator } from '../../../src/simulator/index.ts';
import { attrValue, child, childrenNamed, NS, type XmlNode } from '../../../src/stuf/xml-node.ts';
import { StufXsdValidator } from '../../../src/stuf/xsd-validator.ts';
import { parseXml, toXml } from '../../../src/simulator/xml.ts';
import { extra, keysOf, lk, lv01, post, textOf, type Entity } from './stuf-fixtures.ts';

const validator = new StufXsdValidator();
const BRON = '002220647';

function nps(bsn: string, klantnummer: string, more = ''): string {
  return (
    `<BG:inp.bsn>${bsn}</BG:inp.bsn><BG:geslachtsnaam>Jansen</BG:geslachtsnaam><BG:voornamen>Piet</BG:voornamen>` +
    `<BG:verblijfsadres><BG:aoa.identificatie>0363200000123456</BG:aoa.identificatie><BG:wpl.woonplaatsNaam>Amsterdam</BG:wpl.woonplaatsNaam>` +
    `<BG:gor.openbareRuimteNaam>Kerkstraat</BG:gor.openbareRuimteNaam><BG:aoa.postcode>1012AB</BG:aoa.postcode><BG:aoa.huisnummer>12</BG:aoa.huisnummer></BG:verblijfsadres>` +
    `<BG:sub.telefoonnummer>0201234567</BG:sub.telefoonnummer>${more}` +
    extra({ bronorganisatie: BRON, klantnummer, functie: 'Eigenaar' })
  );
}

/** The stored object (full scope), as the La01 answers it; asserts the La01 is valid. */
async function read(sim: Simulator, entity: Entity, key: string): Promise<XmlNode | undefined> {
  const r = await post(sim.url, lv01(entity, { key, scopeAttr: 'alles' }));
  expect(validator.validate(r.body).errors).toEqual([]);
  return childrenNamed(child(child(child(parseXml(r.body), 'Body'), `${entity.toLowerCase()}La01`, NS.bg), 'antwoord', NS.bg), 'object', NS.bg)[0];
}

async function keyOfKlant(sim: Simulator, entity: Entity, klantnummer: string): Promise<string | undefined> {
  const r = await post(sim.url, lv01(entity, { gelijk: extra({ bronorganisatie: BRON, klantnummer }) }));
  return keysOf(r.body)[0];
}

function inner(o: XmlNode | undefined): string {
  return (o?.children ?? []).map(toXml).join('');
}

async function expectFout(r: { status: number; body: string }, kind: 'Fo02' | 'Fo03', code: string): Promise<void> {
  expect(r.status, r.body).toBe(500);
  expect(validator.validate(r.body)).toMatchObject({ valid: true, element: `${kind}Bericht` });
  expect(textOf(r.body, 'code')).toBe(code);
}

describe('simulator kennisgevingen (Lk01/Lk02)', () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim ??= await startSimulator({ seed: 5 });
    sim.reset();
  });
  afterAll(() => sim.stop());
  afterEach(() => {
    expect(sim.messages().filter((m) => !m.valid)).toEqual([]);
  });

  it('T creates an object under a new key and answers a valid Bv03', async () => {
    const before = sim.stats().objects.NPS;
    const r = await post(sim.url, lk('NPS', 'T', [{ verwerkingssoort: 'T', inner: nps('111222333', 'NEW-1') }]));
    expect(r.status, r.body).toBe(200);
    expect(validator.validate(r.body)).toMatchObject({ valid: true, element: 'Bv03Bericht' });
    expect(textOf(r.body, 'crossRefnummer')).toMatch(/^TEST-/);
    expect(sim.stats().objects.NPS).toBe(before + 1);

    const key = await keyOfKlant(sim, 'NPS', 'NEW-1');
    expect(key).toBeDefined();
    expect(sim.objects('NPS').map((o) => o.key).every((k) => k <= (key ?? ''))).toBe(true);
    const stored = await read(sim, 'NPS', key ?? '');
    expect(inner(stored)).toBe(inner(parseXml(`<x xmlns:BG="${NS.bg}" xmlns:StUF="${NS.stuf}">${nps('111222333', 'NEW-1')}</x>`)));
  });

  it('T on existing identifying data is refused with Fo03 and changes nothing', async () => {
    const existing = sim.objects('NPS').find((o) => child(o.element, 'inp.bsn', NS.bg));
    const bsn = child(existing?.element, 'inp.bsn', NS.bg)?.text ?? '';
    const before = sim.stats().objects;
    await expectFout(await post(sim.url, lk('NPS', 'T', [{ verwerkingssoort: 'T', inner: nps(bsn, 'NEW-2') }])), 'Fo03', FOUTCODE.duplicate);

    // bronorganisatie + klantnummer is unique over all entity types
    await post(sim.url, lk('NPS', 'T', [{ verwerkingssoort: 'T', inner: nps('111222333', 'DUP') }]));
    const ves = `<BG:vestigingsNummer>000099999999</BG:vestigingsNummer><BG:handelsnaam>Dubbel</BG:handelsnaam>${extra({ bronorganisatie: BRON, klantnummer: 'DUP' })}`;
    await expectFout(await post(sim.url, lk('VES', 'T', [{ verwerkingssoort: 'T', inner: ves }])), 'Fo03', FOUTCODE.duplicate);
    expect(sim.stats().objects).toEqual({ ...before, NPS: before.NPS + 1 });
  });

  it('W applies the new values when the old object matches the stored state', async () => {
    await post(sim.url, lk('NPS', 'T', [{ verwerkingssoort: 'T', inner: nps('111222333', 'W-1') }]));
    const key = (await keyOfKlant(sim, 'NPS', 'W-1')) ?? '';
    const current = await read(sim, 'NPS', key);

    const nieuw =
      '<BG:geslachtsnaam>Jansen-Ørsted</BG:geslachtsnaam><BG:sub.telefoonnummer xsi:nil="true" StUF:noValue="geenWaarde"/>' +
      '<BG:sub.emailadres>piet@example.nl</BG:sub.emailadres>' +
      extra({ functie: 'Directeur', 'adres.postcode': '1012AB' });
    const r = await post(sim.url, lk('NPS', 'W', [{ verwerkingssoort: 'W', key, inner: inner(current) }, { verwerkingssoort: 'W', key, inner: nieuw }]));
    expect(r.status, r.body).toBe(200);
    expect(validator.validate(r.body).valid).toBe(true);

    const after = await read(sim, 'NPS', key);
    expect(child(after, 'geslachtsnaam', NS.bg)?.text).toBe('Jansen-Ørsted');
    expect(child(after, 'voornamen', NS.bg)?.text).toBe('Piet'); // untouched
    expect(attrValue(child(after, 'sub.telefoonnummer', NS.bg), 'noValue', NS.stuf)).toBe('geenWaarde');
    expect(child(after, 'sub.emailadres', NS.bg)?.text).toBe('piet@example.nl');
    const extras = childrenNamed(child(after, 'extraElementen', NS.stuf), 'extraElement', NS.stuf).map((e) => `${attrValue(e, 'naam')}=${e.text}`);
    expect(extras).toEqual([`bronorganisatie=${BRON}`, 'klantnummer=W-1', 'functie=Directeur', 'adres.postcode=1012AB']);
  });

  it('W with a stale old object is refused ("object is gewijzigd") and changes nothing', async () => {
    const target = sim.objects('NPS')[3];
    const key = target?.key ?? '';
    const current = await read(sim, 'NPS', key);
    const stale = inner(current).replace(/<BG:geslachtsnaam>[^<]*</, '<BG:geslachtsnaam>Anders<');
    const r = await post(
      sim.url,
      lk('NPS', 'W', [
        { verwerkingssoort: 'W', key, inner: stale },
        { verwerkingssoort: 'W', key, inner: '<BG:geslachtsnaam>Nieuw</BG:geslachtsnaam>' },
      ]),
    );
    await expectFout(r, 'Fo03', FOUTCODE.changed);
    expect(r.body).toContain('Object is gewijzigd');
    expect(r.body).toContain('geslachtsnaam');
    expect(inner(await read(sim, 'NPS', key))).toBe(inner(current));

    // an old object carrying only some elements is checked on those only
    const ok = await post(
      sim.url,
      lk('NPS', 'W', [
        { verwerkingssoort: 'W', key, inner: `<BG:geslachtsnaam>${child(current, 'geslachtsnaam', NS.bg)?.text}</BG:geslachtsnaam>` },
        { verwerkingssoort: 'W', key, inner: '<BG:geslachtsnaam>Nieuw</BG:geslachtsnaam>' },
      ]),
    );
    expect(ok.status, ok.body).toBe(200);
  });

  it('W can switch verblijfsadres to sub.verblijfBuitenland (xsd:choice) and stays schema-valid', async () => {
    const target = sim.objects('NPS').find((o) => child(o.element, 'verblijfsadres', NS.bg));
    const key = target?.key ?? '';
    const buitenland =
      '<BG:sub.verblijfBuitenland><BG:lnd.landcode>5010</BG:lnd.landcode><BG:lnd.landnaam>België</BG:lnd.landnaam><BG:sub.adresBuitenland1>Rue de la Loi 16</BG:sub.adresBuitenland1></BG:sub.verblijfBuitenland>';
    const r = await post(sim.url, lk('NPS', 'W', [{ verwerkingssoort: 'W', key, inner: '' }, { verwerkingssoort: 'W', key, inner: buitenland }]));
    expect(r.status, r.body).toBe(200);
    const after = await read(sim, 'NPS', key);
    expect(child(after, 'verblijfsadres', NS.bg)).toBeUndefined();
    expect(child(child(after, 'sub.verblijfBuitenland', NS.bg), 'lnd.landnaam', NS.bg)?.text).toBe('België');
  });

  it('W and V on an unknown key answer Fo03 object niet gevonden', async () => {
    const none = 'NPS9999999999';
    await expectFout(await post(sim.url, lk('NPS', 'W', [{ verwerkingssoort: 'W', key: none, inner: '' }, { verwerkingssoort: 'W', key: none, inner: '<BG:geslachtsnaam>X</BG:geslachtsnaam>' }])), 'Fo03', FOUTCODE.notFound);
    await expectFout(await post(sim.url, lk('NPS', 'V', [{ verwerkingssoort: 'V', key: none, inner: '' }])), 'Fo03', FOUTCODE.notFound);
  });

  it('W that would duplicate a klantnummer is refused', async () => {
    await post(sim.url, lk('NPS', 'T', [{ verwerkingssoort: 'T', inner: nps('111222333', 'A-1') }]));
    await post(sim.url, lk('NPS', 'T', [{ verwerkingssoort: 'T', inner: nps('123456782', 'A-2') }]));
    const key = (await keyOfKlant(sim, 'NPS', 'A-2')) ?? '';
    const r = await post(sim.url, lk('NPS', 'W', [{ verwerkingssoort: 'W', key, inner: '' }, { verwerkingssoort: 'W', key, inner: extra({ klantnummer: 'A-1' }) }]));
    await expectFout(r, 'Fo03', FOUTCODE.duplicate);
    expect(await keyOfKlant(sim, 'NPS', 'A-2')).toBe(key);
  });

  it('V deletes the object; a stale V is refused', async () => {
    const [a, b] = sim.objects('VES');
    const stale = await post(sim.url, lk('VES', 'V', [{ verwerkingssoort: 'V', key: b?.key, inner: '<BG:vestigingsNummer>000011112222</BG:vestigingsNummer>' }]));
    await expectFout(stale, 'Fo03', FOUTCODE.changed);

    const r = await post(sim.url, lk('VES', 'V', [{ verwerkingssoort: 'V', key: a?.key, inner: inner(a?.element) }]));
    expect(r.status, r.body).toBe(200);
    expect(await read(sim, 'VES', a?.key ?? '')).toBeUndefined();
    expect(sim.objects('VES').map((o) => o.key)).not.toContain(a?.key);
  });

  it('Lk02 answers Bv02 / Fo02', async () => {
    const r = await post(sim.url, lk('NNP', 'T', [{ verwerkingssoort: 'T', inner: `<BG:inn.nnpId>123456782</BG:inn.nnpId><BG:statutaireNaam>Nieuw B.V.</BG:statutaireNaam>${extra({ bronorganisatie: BRON, klantnummer: 'L2' })}` }], 'Lk02'));
    expect(r.status, r.body).toBe(200);
    expect(validator.validate(r.body)).toMatchObject({ valid: true, element: 'Bv02Bericht' });
    const again = await post(sim.url, lk('NNP', 'T', [{ verwerkingssoort: 'T', inner: `<BG:inn.nnpId>123456782</BG:inn.nnpId>` }], 'Lk02'));
    await expectFout(again, 'Fo02', FOUTCODE.duplicate);
  });

  it('refuses a kennisgeving whose objects do not fit its mutatiesoort, and relations', async () => {
    const two = lk('NPS', 'T', [
      { verwerkingssoort: 'T', inner: nps('111222333', 'X-1') },
      { verwerkingssoort: 'T', inner: nps('123456782', 'X-2') },
    ]);
    await expectFout(await post(sim.url, two), 'Fo03', FOUTCODE.invalid);
    const relatie =
      '<BG:geslachtsnaam>Kind</BG:geslachtsnaam>' +
      '<BG:inp.heeftAlsOuders StUF:entiteittype="NPSNPSOUD" StUF:verwerkingssoort="T"><BG:gerelateerde StUF:entiteittype="NPS" StUF:verwerkingssoort="I"><BG:inp.bsn>111222333</BG:inp.bsn></BG:gerelateerde></BG:inp.heeftAlsOuders>';
    await expectFout(await post(sim.url, lk('NPS', 'T', [{ verwerkingssoort: 'T', inner: relatie }])), 'Fo03', FOUTCODE.unsupported);
    expect(await keyOfKlant(sim, 'NPS', 'X-1')).toBeUndefined();
  });
});
