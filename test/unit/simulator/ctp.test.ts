// The simulator's StUF-ZKN endpoint: contactpersonen (CTP) answered and changed like the StUF-BG
// entities, every incoming message XSD-validated against the zkn0310 entry schemas.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { demoSnapshot } from '../../../src/simulator/demo/demo-data.ts';
import { FOUTCODE, startSimulator, type Simulator } from '../../../src/simulator/index.ts';
import { NS } from '../../../src/stuf/xml-node.ts';
import { StufXsdValidator } from '../../../src/stuf/xsd-validator.ts';
import { ctpForPerson, ctpLk01, ctpLv01, ctpPost } from './ctp-fixtures.ts';
import { extra, keysOf, lv01, post, textOf } from './stuf-fixtures.ts';

const validator = new StufXsdValidator();
let sim: Simulator;
let zkn: string;

beforeAll(async () => {
  sim = await startSimulator({ seed: 3 });
  zkn = sim.urls.zkn as string;
});
afterAll(() => sim.stop());
beforeEach(() => sim.reset());
afterEach(() => {
  expect(sim.messages().filter((m) => !m.valid)).toEqual([]);
});

async function expectFout(r: { status: number; body: string }, kind: 'Fo02' | 'Fo03', code: string): Promise<void> {
  expect(r.status, r.body).toBe(500);
  expect(validator.validate(r.body)).toMatchObject({ valid: true, element: `${kind}Bericht` });
  expect(textOf(r.body, 'code')).toBe(code);
}

describe('StUF-ZKN endpoint', () => {
  it('serves each sector on its own endpoint with its own WSDL', async () => {
    expect(sim.url).toMatch(/\/StUF\/bg0310$/);
    expect(zkn).toMatch(/\/StUF\/zkn0310$/);
    expect(sim.endpointFor(NS.zkn)).toBe(zkn);
    expect(sim.endpointFor(NS.bg)).toBe(sim.url);
    const wsdl = await (await fetch(`${zkn}?wsdl`)).text();
    expect(wsdl).toContain('ctpLv01');
    expect(wsdl).not.toContain('npsLv01');
  });

  it('answers every demo contactpersoon with full scope in a schema-valid ctpLa01, over all three subject types', async () => {
    const r = await ctpPost(zkn, ctpLv01({ scopeAttr: 'alles', maximumAantal: 0 }));
    expect(r.status, r.body).toBe(200);
    expect(validator.validate(r.body)).toMatchObject({ valid: true, element: 'ctpLa01', errors: [] });
    const keys = keysOf(r.body);
    expect(keys).toEqual(sim.objects('CTP').map((o) => o.key));
    expect(keys.length).toBeGreaterThanOrEqual(30);
    for (const subject of ['natuurlijkPersoon', 'nietNatuurlijkPersoon', 'vestiging']) {
      expect(r.body.match(new RegExp(`<BG:${subject} `, 'g'))?.length ?? 0).toBeGreaterThanOrEqual(10);
    }
    expect(sim.stats().objects.CTP).toBe(keys.length);
  });

  it('answers authentiek (StUF:metagegeven) with the inp.bsn a scope names, as CTP-antwoord demands', async () => {
    const scope = '<ZKN:isAanspreekpuntNamens StUF:entiteittype="CTPSUB"><ZKN:gerelateerde><BG:natuurlijkPersoon StUF:entiteittype="NPS"><BG:inp.bsn xsi:nil="true"/></BG:natuurlijkPersoon></ZKN:gerelateerde></ZKN:isAanspreekpuntNamens>';
    const r = await ctpPost(zkn, ctpLv01({ scope, maximumAantal: 0 }));
    expect(validator.validate(r.body)).toMatchObject({ valid: true, errors: [] });
    expect(r.body).toContain('</BG:inp.bsn><BG:authentiek StUF:metagegeven="true">N</BG:authentiek>');
    expect(r.body).not.toContain('geslachtsnaam');
  });

  it('pages with maximumAantal and start, in key order', async () => {
    const first = await ctpPost(zkn, ctpLv01({ maximumAantal: 10 }));
    expect(textOf(first.body, 'indicatorVervolgvraag')).toBe('true');
    const page1 = keysOf(first.body);
    const next = await ctpPost(zkn, ctpLv01({ maximumAantal: 10, startKey: page1.at(-1) as string }));
    expect(keysOf(next.body)[0]! > page1.at(-1)!).toBe(true);
  });

  it('selects on the subject identifier as isAanspreekpuntNamens/gerelateerde/bsVesNummerOfId', async () => {
    await ctpPost(zkn, ctpLk01('T', [{ verwerkingssoort: 'T', inner: ctpForPerson('Jansen', 'CTP-1', '111222333') }]));
    const gelijk = '<ZKN:isAanspreekpuntNamens StUF:entiteittype="CTPSUB"><ZKN:gerelateerde><BG:bsVesNummerOfId>111222333</BG:bsVesNummerOfId></ZKN:gerelateerde></ZKN:isAanspreekpuntNamens>';
    const r = await ctpPost(zkn, ctpLv01({ gelijk }));
    expect(validator.validate(r.body).errors).toEqual([]);
    expect(keysOf(r.body)).toHaveLength(1);
    expect(r.body).toContain('<ZKN:naam>Jansen</ZKN:naam>');
    const none = await ctpPost(zkn, ctpLv01({ gelijk: gelijk.replace('111222333', '999999999') }));
    expect(keysOf(none.body)).toEqual([]);
  });

  it('T stores the relation (without kennisgeving attributes), W replaces it, V removes the object', async () => {
    const before = sim.stats().objects.CTP;
    const t = await ctpPost(zkn, ctpLk01('T', [{ verwerkingssoort: 'T', inner: ctpForPerson('Jansen', 'CTP-2', '111222333') }]));
    expect(t.status, t.body).toBe(200);
    expect(validator.validate(t.body)).toMatchObject({ valid: true, element: 'Bv03Bericht' });
    const stored = sim.objects('CTP').at(-1)!;
    expect(sim.stats().objects.CTP).toBe(before + 1);
    expect(stored.xml).toContain('<BG:inp.bsn>111222333</BG:inp.bsn>');
    expect(stored.xml).not.toContain('verwerkingssoort');

    const oud = ctpForPerson('Jansen', 'CTP-2', '111222333', 'W');
    const nieuw = ctpForPerson('Pietersen', 'CTP-2', undefined, 'W');
    const w = await ctpPost(zkn, ctpLk01('W', [{ verwerkingssoort: 'W', key: stored.key, inner: oud }, { verwerkingssoort: 'W', key: stored.key, inner: nieuw }]));
    expect(w.status, w.body).toBe(200);
    const after = sim.objects('CTP').find((o) => o.key === stored.key)!;
    expect(after.xml).toContain('<ZKN:naam>Pietersen</ZKN:naam>');
    expect(after.xml).not.toContain('inp.bsn');
    expect(after.xml).toContain('<BG:natuurlijkPersoon StUF:entiteittype="NPS"/>');

    const v = await ctpPost(zkn, ctpLk01('V', [{ verwerkingssoort: 'V', key: stored.key, inner: '' }]));
    expect(v.status, v.body).toBe(200);
    expect(sim.objects('CTP').some((o) => o.key === stored.key)).toBe(false);
  });

  it('answers Fo03 for a stale W, an unknown key and a duplicate bronorganisatie + klantnummer', async () => {
    await ctpPost(zkn, ctpLk01('T', [{ verwerkingssoort: 'T', inner: ctpForPerson('Jansen', 'CTP-3', '111222333') }]));
    const key = sim.objects('CTP').at(-1)!.key;
    const stale = ctpForPerson('Klaassen', 'CTP-3', '111222333', 'W');
    await expectFout(await ctpPost(zkn, ctpLk01('W', [{ verwerkingssoort: 'W', key, inner: stale }, { verwerkingssoort: 'W', key, inner: stale }])), 'Fo03', FOUTCODE.changed);
    await expectFout(await ctpPost(zkn, ctpLk01('V', [{ verwerkingssoort: 'V', key: 'CTP9999999999', inner: '' }])), 'Fo03', FOUTCODE.notFound);
    await expectFout(await ctpPost(zkn, ctpLk01('T', [{ verwerkingssoort: 'T', inner: ctpForPerson('Anders', 'CTP-3') }])), 'Fo03', FOUTCODE.duplicate);
  });

  it('validates every message against the ZKN schemas: an invalid one is a Fo02/Fo03 with StUF055', async () => {
    const bad = ctpLk01('T', [{ verwerkingssoort: 'T', inner: '<ZKN:onbekend>x</ZKN:onbekend>' }]);
    await expectFout(await ctpPost(zkn, bad), 'Fo03', FOUTCODE.invalid);
    expect(sim.messages().filter((m) => !m.valid).map((m) => m.element)).toEqual(['ctpLk01']);
    sim.reset(); // (the afterEach check is about messages that should have been valid)
  });

  it('keeps the sectors apart: a BG question on the ZKN endpoint and a CTP question on the BG endpoint are refused', async () => {
    const bgOnZkn = await post(zkn, lv01('NPS', { gelijk: extra({ klantnummer: '1' }) }));
    await expectFout(bgOnZkn, 'Fo02', FOUTCODE.unsupported);
    const ctpOnBg = await ctpPost(sim.url, ctpLv01());
    await expectFout(ctpOnBg, 'Fo02', FOUTCODE.unsupported);
  });
});

describe('CTP demo data', () => {
  it('does not change the StUF-BG demo content and is deterministic per seed', () => {
    const a = demoSnapshot({ seed: 7, count: 90, ctpCount: 0 });
    const b = demoSnapshot({ seed: 7, count: 90 });
    expect(JSON.stringify(b.objects.filter((o) => o.entity !== 'CTP'))).toBe(JSON.stringify(a.objects));
    expect(b.seq.CTP).toBe(36);
    expect(JSON.stringify(demoSnapshot({ seed: 7, count: 90 }))).toBe(JSON.stringify(b));
  });

  it('by default sets up the ZKN endpoint on its first request, while StUF-BG is being served', async () => {
    const lazy = await startSimulator({ seed: 4 });
    try {
      const [bg, zknAnswer, bg2] = await Promise.all([
        post(lazy.url, lv01('NPS', { maximumAantal: 1 })),
        ctpPost(lazy.urls.zkn as string, ctpLv01({ maximumAantal: 1 })),
        post(lazy.url, lv01('VES', { maximumAantal: 1 })),
      ]);
      expect([bg.status, zknAnswer.status, bg2.status]).toEqual([200, 200, 200]);
      expect(validator.validate(zknAnswer.body)).toMatchObject({ valid: true, element: 'ctpLa01' });
      expect((await post(lazy.url, lv01('NNP', { maximumAantal: 1 }))).status).toBe(200);
      expect(lazy.messages().map((m) => m.valid)).toEqual([true, true, true, true]);
    } finally {
      await lazy.stop();
    }
  });

  it('a simulator serving only StUF-ZKN has no BG endpoint', async () => {
    const only = await startSimulator({ sectors: ['zkn'], demo: false });
    try {
      expect(only.urls).toEqual({ zkn: only.url });
      expect((await post(only.url.replace('zkn0310', 'bg0310'), lv01('NPS'))).status).toBe(404);
    } finally {
      await only.stop();
    }
  });
});
