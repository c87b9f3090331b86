import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FOUTCODE, startSimulator, type Simulator } from '../../../src/simulator/index.ts';
import { NS } from '../../../src/stuf/xml-node.ts';
import { StufXsdValidator } from '../../../src/stuf/xsd-validator.ts';
import { envelope, lk, lv01, post, soapAction, textOf } from './stuf-fixtures.ts';

const validator = new StufXsdValidator();

describe('simulator protocol surface', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 9, maxBodyBytes: 256 * 1024 });
  });
  afterAll(() => sim.stop());

  it('serves its WSDL at ?wsdl with the real endpoint address, and the schemas it imports', async () => {
    const res = await fetch(sim.wsdlUrl);
    expect(res.status).toBe(200);
    const wsdl = await res.text();
    expect(wsdl).toContain(`location="${sim.url}"`);
    for (const op of ['npsLv01', 'nnpLv01', 'vesLv01', 'npsLk01', 'nnpLk01', 'vesLk01', 'npsLk02']) {
      expect(wsdl).toContain(`soapAction="${NS.bg}/${op}"`);
    }
    const imported = /schemaLocation="([^"]+bg0310-vraagAntwoord\.xsd)"/.exec(wsdl)?.[1] ?? '';
    const xsd = await fetch(new URL(imported, sim.wsdlUrl));
    expect(xsd.status).toBe(200);
    expect(await xsd.text()).toContain('targetNamespace="http://www.egem.nl/StUF/sector/bg/0310"');
    const traversal = await new Promise<number>((resolve, reject) => {
      request(new URL(sim.url).origin + '/schemas/stuf/..%2f..%2fsrc%2fsimulator%2fwsdl%2fstuf-bg0310-simulator.wsdl', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
    expect(traversal).toBe(404);
  });

  it('answers an XSD-invalid question with Fo02 StUF055 and the validation errors', async () => {
    const invalid = lv01('NPS', { gelijk: '<BG:geslachtsnaam>X</BG:geslachtsnaam>' }).replace('<StUF:sortering>0</StUF:sortering>', '<StUF:sortering>99</StUF:sortering>');
    const before = sim.stats().requests.invalid;
    const r = await post(sim.url, invalid);
    expect(r.status).toBe(500);
    expect(r.contentType).toMatch(/^text\/xml/);
    expect(validator.validate(r.body)).toMatchObject({ valid: true, element: 'Fo02Bericht' });
    expect(r.body).toContain('<faultcode>soap:Client</faultcode>');
    expect(textOf(r.body, 'code')).toBe(FOUTCODE.invalid);
    expect(textOf(r.body, 'details')).toMatch(/sortering/);
    expect(sim.stats().requests.invalid).toBe(before + 1);
    const last = sim.messages().at(-1);
    expect(last).toMatchObject({ element: 'npsLv01', valid: false, answer: 'Fo02' });
    expect(last?.errors[0]).toMatch(/sortering/);
  });

  it('answers an invalid Lk01 with Fo03 StUF055 (with full stuurgegevens)', async () => {
    const invalid = lk('NPS', 'T', [{ verwerkingssoort: 'T', inner: '<BG:inp.bsn>12</BG:inp.bsn>' }]);
    const r = await post(sim.url, invalid);
    expect(r.status).toBe(500);
    expect(validator.validate(r.body)).toMatchObject({ valid: true, element: 'Fo03Bericht' });
    expect(textOf(r.body, 'code')).toBe(FOUTCODE.invalid);
    expect(textOf(r.body, 'crossRefnummer')).toMatch(/^TEST-/);
  });

  it('refuses DOCTYPE, non-XML and a SOAPAction that does not fit the body', async () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>${envelope(`<BG:npsLv01 xmlns:BG="${NS.bg}">&b;</BG:npsLv01>`).replace(/^<\?xml[^>]*>/, '')}`;
    let r = await post(sim.url, bomb);
    expect(r.status).toBe(500);
    expect(textOf(r.body, 'code')).toBe(FOUTCODE.invalid);
    expect(sim.messages().at(-1)).toMatchObject({ element: 'npsLv01', valid: false });

    r = await post(sim.url, 'this is not xml');
    expect(r.status).toBe(500);
    expect(validator.validate(r.body).element).toBe('Fo02Bericht');

    r = await post(sim.url, lv01('NPS', {}), soapAction('nnpLv01'));
    expect(r.status).toBe(500);
    expect(textOf(r.body, 'code')).toBe(FOUTCODE.invalid);
    expect(r.body).toContain('SOAPAction');

    r = await post(sim.url, lv01('NPS', {}), '');
    expect(r.status).toBe(200);
  });

  it('answers a body over the limit with 413 + Fo02 without reading it all', async () => {
    const huge = lv01('NPS', { gelijk: `<BG:geslachtsnaam>${'x'.repeat(300 * 1024)}</BG:geslachtsnaam>` });
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(sim.url, { method: 'POST', headers: { 'content-type': 'text/xml' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(huge);
    });
    expect(status).toBe(413);
    expect(sim.messages().at(-1)).toMatchObject({ valid: false, errors: ['body too large'] });
  });

  it('counts requests per message type and keeps the recorded messages', async () => {
    const before = sim.stats().requests.byMessage.vesLv01 ?? 0;
    await post(sim.url, lv01('VES', {}));
    await post(sim.url, lv01('VES', {}));
    const s = sim.stats();
    expect(s.requests.byMessage.vesLv01).toBe(before + 2);
    const last = sim.messages().at(-1);
    expect(last).toMatchObject({ element: 'vesLv01', valid: true, answer: 'La01', soapAction: `${NS.bg}/vesLv01` });
    expect(last?.xml).toContain('<BG:vesLv01');
  });

  it('exposes stats, messages, objects, faults and reset over /__admin', async () => {
    const stats = (await (await fetch(`${sim.adminUrl}/stats`)).json()) as { objects: { NPS: number; NNP: number; VES: number } };
    expect(stats.objects).toEqual(sim.stats().objects);
    const objects = (await (await fetch(`${sim.adminUrl}/objects?entity=NNP`)).json()) as { key: string; xml: string }[];
    expect(objects.map((o) => o.key)).toEqual(sim.objects('NNP').map((o) => o.key));
    expect(objects[0]?.xml).toMatch(/^<BG:object xmlns:StUF=/);
    expect((await fetch(`${sim.adminUrl}/objects?entity=XYZ`)).status).toBe(400);

    const invalid = (await (await fetch(`${sim.adminUrl}/messages?invalid=true`)).json()) as { valid: boolean }[];
    expect(invalid.length).toBeGreaterThan(0);
    expect(invalid.every((m) => !m.valid)).toBe(true);

    let res = await fetch(`${sim.adminUrl}/faults`, { method: 'POST', body: JSON.stringify({ type: 'fo02', share: 0.5, messages: ['npsLk01'] }) });
    expect(res.status).toBe(200);
    expect(sim.stats().faults).toEqual([{ type: 'fo02', share: 0.5, messages: ['npsLk01'] }]);
    res = await fetch(`${sim.adminUrl}/faults`, { method: 'POST', body: JSON.stringify({ type: 'fo02', shar: 1 }) });
    expect(res.status).toBe(400);
    expect((await fetch(`${sim.adminUrl}/faults`, { method: 'DELETE' })).status).toBe(200);
    expect(sim.stats().faults).toEqual([]);

    await post(sim.url, lk('NPS', 'V', [{ verwerkingssoort: 'V', key: sim.objects('NPS')[0]?.key, inner: '' }]));
    expect(sim.stats().objects.NPS).toBe(stats.objects.NPS - 1);
    res = await fetch(`${sim.adminUrl}/reset`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(sim.stats().objects).toEqual(stats.objects);
    expect(sim.stats().requests.total).toBe(0);
    expect(sim.messages()).toEqual([]);
  });
});
