// Injected faults follow the endpoint's sector: a ctpLv01 on the StUF-ZKN endpoint gets a broken
// ctpLa01 in the ZKN namespace (never an npsLa01), a Fo02/Fo03 with its own routing, and a
// 'wrong-namespace' answer with the ZKN namespace replaced; StUF-BG keeps its BG-shaped answers.
import { request } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FOUTCODE, SECTORS, startSimulator, type Fault, type Simulator } from '../../../src/simulator/index.ts';
import { NS } from '../../../src/stuf/xml-node.ts';
import { StufXsdValidator } from '../../../src/stuf/xsd-validator.ts';
import { ctpForPerson, ctpLk01, ctpLv01, ctpPost } from './ctp-fixtures.ts';
import { lv01, textOf } from './stuf-fixtures.ts';

const validator = new StufXsdValidator();
let sim: Simulator;
let zkn: string;

beforeAll(async () => {
  sim = await startSimulator({ seed: 5, sectors: ['bg', 'zkn'] });
  zkn = sim.urls.zkn as string;
});
afterAll(() => sim.stop());
beforeEach(() => sim.reset());

/** Raw POST that survives cut connections: status, text (first MiB), bytes, error. */
function rawPost(url: string, body: string): Promise<{ status?: number; text: string; bytes: number; error?: string }> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8' }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on('data', (c: Buffer) => {
        bytes += c.length;
        if (bytes < 1_048_576) chunks.push(c);
      });
      const done = (error?: string) => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8'), bytes, ...(error ? { error } : {}) });
      res.on('end', () => done());
      res.on('error', (e) => done(e.message));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ text: '', bytes: 0, error: e.code ?? e.message }));
    req.end(body);
  });
}

/** The questions per entity, on their sector's endpoint. */
const QUESTIONS = [
  { entity: 'NPS', element: 'npsLv01', url: () => sim.url, xml: () => lv01('NPS', {}), text: 'BG:geslachtsnaam' },
  { entity: 'NNP', element: 'nnpLv01', url: () => sim.url, xml: () => lv01('NNP', {}), text: 'BG:statutaireNaam' },
  { entity: 'VES', element: 'vesLv01', url: () => sim.url, xml: () => lv01('VES', {}), text: 'BG:handelsnaam' },
  { entity: 'CTP', element: 'ctpLv01', url: () => zkn, xml: () => ctpLv01(), text: 'ZKN:naam' },
] as const;

/** A hostile answer with its attack taken out: the DOCTYPE gone, the entity reference a plain name. */
function disarmed(body: string): string {
  return body.replace(/<!DOCTYPE soap:Envelope \[.*?\]>/s, '').replace(/&(xxe|lol9);/, 'Jansen');
}

describe('garbage and hostile answers have the shape of the asked sector', () => {
  it.each(QUESTIONS)('$element: the doctype / billion-laughs answers are, disarmed, a schema-valid La01 of $entity with the attack in $text', async (q) => {
    for (const kind of ['doctype', 'billion-laughs'] as const) {
      sim.setFault({ type: 'hostile', kind, messages: [q.element] });
      const r = await rawPost(q.url(), q.xml());
      expect(r.status).toBe(200);
      expect(r.text).toMatch(new RegExp(`<${q.text}>&(xxe|lol9);</${q.text}>`));
      const v = validator.validate(disarmed(r.text));
      expect(v, kind).toMatchObject({ valid: true, element: `${q.element.slice(0, 3)}La01`, errors: [] });
    }
    expect(sim.messages().at(-1)).toMatchObject({ element: q.element, valid: true, answer: 'hostile:billion-laughs' });
  });

  it('a ctpLv01 gets ZKN-shaped broken XML: truncated and cut ctpLa01, huge text in ZKN:naam', async () => {
    sim.setFault({ type: 'garbage', kind: 'truncated' });
    const truncated = await rawPost(zkn, ctpLv01());
    expect(truncated.text).toContain(`<ZKN:ctpLa01 `);
    expect(truncated.text).toContain(`xmlns:ZKN="${NS.zkn}"`);
    expect(truncated.text).not.toMatch(/npsLa01|BG:geslachtsnaam/);
    expect(validator.validate(truncated.text).errors[0]).toMatch(/not well-formed|Premature end/i);

    sim.setFault({ type: 'garbage', kind: 'cut' });
    const cut = await rawPost(zkn, ctpLv01());
    expect(cut.error).toBeDefined();
    expect(cut.text).toContain('<ZKN:ctpLa01 ');

    sim.setFault({ type: 'hostile', kind: 'huge', sizeMb: 0.5 });
    const huge = await rawPost(zkn, ctpLv01());
    expect(huge.bytes).toBeGreaterThan(0.5 * 1024 * 1024);
    expect(huge.text).toMatch(/<ZKN:ctpLa01 [^>]*>.*<ZKN:naam>AAAA/s);
    expect(huge.text).toMatch(/<\/ZKN:naam><ZKN:isAanspreekpuntNamens .*<\/ZKN:ctpLa01><\/soap:Body><\/soap:Envelope>$/s);
  });

  it('a question sent to the wrong endpoint gets that endpoint’s shape (the system it reached answers)', async () => {
    sim.setFault({ type: 'garbage', kind: 'truncated' });
    const r = await rawPost(zkn, lv01('NPS', {}));
    expect(r.text).toContain('<ZKN:ctpLa01 ');
    const bg = await rawPost(sim.url, ctpLv01());
    expect(bg.text).toContain('<BG:npsLa01 ');
  });

  it('wrong-namespace: the real ctpLa01 with the ZKN namespace of another version; its BG subjects keep theirs', async () => {
    const key = sim.objects('CTP')[0]?.key as string;
    sim.setFault({ type: 'hostile', kind: 'wrong-namespace' });
    const r = await rawPost(zkn, ctpLv01({ key }));
    expect(r.status).toBe(200);
    expect(r.text).toContain(`xmlns:ZKN="${SECTORS.zkn.otherVersionNamespace}"`);
    expect(r.text).not.toContain(`"${NS.zkn}"`);
    expect(r.text).toContain(`xmlns:BG="${NS.bg}"`);
    expect(r.text).toContain(`StUF:sleutelVerzendend="${key}"`);
    // The answer is the real one (only its namespace changed): back in place it validates.
    const restored = r.text.replaceAll(SECTORS.zkn.otherVersionNamespace, NS.zkn);
    expect(validator.validate(restored)).toMatchObject({ valid: true, element: 'ctpLa01' });
  });
});

describe('StUF faults on the ZKN endpoint', () => {
  it('fo02 on a ctpLv01 is a schema-valid Fo02; on a ctpLk01 a Fo03 routed back to the CTP sender, and the store is unchanged', async () => {
    sim.setFault({ type: 'fo02', messages: ['ctpLv01', 'ctpLk01'] });
    const q = await ctpPost(zkn, ctpLv01());
    expect(q.status).toBe(500);
    expect(validator.validate(q.body)).toMatchObject({ valid: true, element: 'Fo02Bericht' });
    expect(textOf(q.body, 'code')).toBe(FOUTCODE.processing);

    const before = sim.objects('CTP').map((o) => o.xml);
    const t = await ctpPost(zkn, ctpLk01('T', [{ verwerkingssoort: 'T', inner: ctpForPerson('Jansen', 'FO-1', '111222333') }]));
    expect(t.status).toBe(500);
    expect(validator.validate(t.body)).toMatchObject({ valid: true, element: 'Fo03Bericht' });
    expect(t.body).toContain('<StUF:ontvanger><StUF:organisatie>Gemeente Test</StUF:organisatie><StUF:applicatie>klantbrug-test</StUF:applicatie></StUF:ontvanger>');
    expect(textOf(t.body, 'crossRefnummer')).toMatch(/^CTP-\d+$/);
    expect(sim.objects('CTP').map((o) => o.xml)).toEqual(before);
    expect(sim.stats().faultsInjected.fo02).toBe(2);
  });
});

describe('fault specs', () => {
  it('refuse a message name no endpoint answers, programmatically and over /__admin', async () => {
    expect(() => sim.setFault({ type: 'fo02', messages: ['ctpLK01'] } as Fault)).toThrow(/no simulator endpoint answers ctpLK01/);
    const res = await fetch(`${sim.adminUrl}/faults`, { method: 'POST', body: JSON.stringify({ type: 'garbage', messages: ['zakLv01'] }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/zakLv01/);
    expect(sim.stats().faults).toEqual([]);
    sim.setFault({ type: 'garbage', messages: ['ctpLv01', 'ctpLk01', 'ctpLk02', 'npsLv01'] });
    expect(sim.stats().faults).toHaveLength(1);
  });
});
