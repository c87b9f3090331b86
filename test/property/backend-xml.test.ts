// Hostile backend XML. Two levels:
//  1. the StUF reading path itself (parseXml → readQuestionAnswer) over real La01 answers of the
//     simulator, damaged at random and with targeted attacks (DOCTYPE/entities, nesting, huge text,
//     invalid UTF-8, wrong namespaces): only typed StUF errors, each decided quickly;
//  2. end to end: a proxy between gateway and simulator damages every answer; the consumer gets
//     200/404 or a clean 502/504 problem in time, never a 500, and the gateway serves normally after.
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { NS, parseXml, readQuestionAnswer, StufFault, StufProtocolError } from '../../src/stuf/index.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import { answerTo, startDamagingProxy } from './damaging-proxy.ts';
import { CaseCounter, closeAgent, expectClean, rawRequest, runs } from './support.ts';
import { describeMutations, mutate, mutationsArb, type Mutation } from './xml-mutations.ts';

// Hundreds of cases per property; a busy CI machine must not turn that into a timeout.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

const cases = new CaseCounter('backend XML');
const DECIDE_WITHIN_MS = 1_500;

let sim: Simulator;
let h: Harness; // gateway → damaging proxy → simulator
let proxy: http.Server;
let damage: Mutation[] = [];
let answers: { element: string; bytes: Buffer }[] = [];
let detailPath: string;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 1 });
  const direct = await startHarness({ sharedSimulator: sim });
  proxy = await startDamagingProxy(sim.url, (answer) => mutate(answer, damage));
  const proxied = { ...sim, url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/StUF/bg0310` } as Simulator;
  h = await startHarness({
    sharedSimulator: proxied,
    config: {
      cache: { ttlSeconds: 0 },
      backend: { questionTimeoutMs: 2_000, retries: { questions: 0 }, breaker: { failureThreshold: 1_000_000 } },
    },
  });
  // Real answers to collect: a detail read (one object) and a list page of every subject type.
  const list = await direct.get('/api/v1/klanten?subjectType=natuurlijk_persoon');
  detailPath = new URL(list.body.results[7].url).pathname;
  await direct.get(detailPath);
  await direct.get('/api/v1/klanten?subjectType=vestiging');
  await direct.get('/api/v1/klanten?subjectType=niet_natuurlijk_persoon');
  const sent = sim.messages().filter((m) => /Lv01$/.test(m.element));
  answers = await Promise.all(sent.slice(-6).map(async (m) => ({ element: m.element, bytes: await answerTo(sim.url, m.xml, m.soapAction) })));
  expect(answers.length).toBeGreaterThan(2);
  await direct.close();
});

afterAll(async () => {
  cases.report();
  closeAgent();
  await h?.close();
  await sim?.stop();
  proxy?.close();
});

const question = (element: string) => ({ namespace: NS.bg, messageName: element });

/** Parses and reads `bytes` as the answer to `element`; returns the error (undefined when fine). */
function readAnswer(bytes: Buffer | string, element: string): { error: unknown; ms: number } {
  const t0 = performance.now();
  try {
    readQuestionAnswer(parseXml(bytes), question(element));
    return { error: undefined, ms: performance.now() - t0 };
  } catch (error) {
    return { error, ms: performance.now() - t0 };
  }
}

const isStufError = (e: unknown) => e instanceof StufProtocolError || e instanceof StufFault;

describe('StUF reading path (parseXml → readQuestionAnswer)', () => {
  it('the undamaged answers read fine (the baseline the damage starts from)', () => {
    for (const a of answers) expect(readAnswer(a.bytes, a.element).error).toBeUndefined();
  });

  it('random damage to a real La01: only typed StUF errors, each decided quickly', () => {
    fc.assert(
      fc.property(fc.nat(), mutationsArb, (i, ms) => {
        cases.hit('damaged La01 → parseXml/readQuestionAnswer');
        const a = answers[i % answers.length]!;
        const { error, ms: took } = readAnswer(mutate(a.bytes, ms), a.element);
        if (error !== undefined && !isStufError(error)) throw new Error(`untyped ${String(error)} for ${describeMutations(ms)}`);
        expect(took, describeMutations(ms)).toBeLessThan(DECIDE_WITHIN_MS);
      }),
      { numRuns: runs(600) },
    );
  });

  it('any DOCTYPE / ENTITY / markup declaration is refused before parsing, whatever its spelling or place', () => {
    const decl = fc.tuple(
      fc.constantFrom('DOCTYPE', 'doctype', 'DocType', 'ENTITY', 'ELEMENT', 'ATTLIST', 'NOTATION'),
      fc.constantFrom(
        ' soap:Envelope [<!ENTITY xxe SYSTEM "file:///etc/passwd">]',
        ' x [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]',
        ' x SYSTEM "http://127.0.0.1:1/evil.dtd"',
        ' x PUBLIC "-//x//EN" "http://127.0.0.1:1/x.dtd"',
        ' % p SYSTEM "http://127.0.0.1:1/p.dtd"> %p;',
        '',
      ),
      fc.nat(),
    );
    fc.assert(
      fc.property(fc.nat(), decl, (i, [kw, rest, where]) => {
        cases.hit('DOCTYPE/ENTITY anywhere');
        const a = answers[i % answers.length]!;
        const text = a.bytes.toString('utf8');
        const gts = [...text.matchAll(/>/g)].map((m) => m.index! + 1);
        const at = where % 3 === 0 ? text.indexOf('?>') + 2 : gts[where % gts.length]!;
        const attacked = `${text.slice(0, at)}<!${kw}${rest}>${text.slice(at)}`.replace('</BG:geslachtsnaam>', '&xxe;&lol2;</BG:geslachtsnaam>');
        const { error } = readAnswer(attacked, a.element);
        expect(error).toBeInstanceOf(StufProtocolError);
        expect((error as StufProtocolError).reason).toBe('doctype');
      }),
      { numRuns: runs(200) },
    );
  });

  it('nesting: up to the depth limit it reads, past it a limit error, never a stack overflow', () => {
    fc.assert(
      fc.property(fc.nat(), fc.oneof(fc.integer({ min: 1, max: 120 }), fc.integer({ min: 1_000, max: 200_000 })), (i, depth) => {
        cases.hit('deep nesting');
        const a = answers[i % answers.length]!;
        const text = a.bytes.toString('utf8').replace('</BG:object>', `${'<BG:x>'.repeat(depth)}${'</BG:x>'.repeat(depth)}</BG:object>`);
        const { error, ms } = readAnswer(text, a.element);
        // Envelope/Body/La01/antwoord/object are 5 levels.
        if (depth + 5 > 64) expect((error as StufProtocolError)?.reason).toBe('limit');
        else expect(error).toBeUndefined();
        expect(ms).toBeLessThan(DECIDE_WITHIN_MS);
      }),
      { numRuns: runs(150) },
    );
  });

  it('huge text: over 1 MiB in one element is a limit error, under it reads', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 0, max: 2_500_000 }), fc.constantFrom('A', 'é', '&amp;', '<![CDATA[x]]>'), (i, size, unit) => {
        cases.hit('huge text');
        const a = answers[i % answers.length]!;
        const fill = unit.repeat(Math.ceil(size / unit.length));
        const text = a.bytes.toString('utf8').replace(/(<BG:geslachtsnaam>|<BG:statutaireNaam>|<BG:handelsnaam>)/, `$1${fill}`);
        const { error, ms } = readAnswer(text, a.element);
        const chars = unit.startsWith('<![CDATA[') ? fill.length / unit.length : fill.length; // the guard counts CDATA content
        if (chars > 1024 * 1024) expect((error as StufProtocolError)?.reason).toBe('limit');
        else if (error !== undefined) expect(isStufError(error)).toBe(true);
        expect(ms).toBeLessThan(DECIDE_WITHIN_MS);
      }),
      { numRuns: runs(60) },
    );
  });

  it('invalid UTF-8 anywhere in text is an encoding error, never silently replaced', () => {
    const invalid = fc.constantFrom([0x80], [0xc3], [0xc3, 0x28], [0xe2, 0x82, 0x41], [0xf0, 0x9f, 0x98], [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xfe], [0xff]);
    fc.assert(
      fc.property(fc.nat(), fc.nat(), invalid, (i, where, bytes) => {
        cases.hit('invalid UTF-8');
        const a = answers[i % answers.length]!;
        const gts = [...a.bytes.entries()].filter(([, b]) => b === 0x3e).map(([k]) => k + 1);
        const at = gts[where % gts.length]!;
        const damaged = Buffer.concat([a.bytes.subarray(0, at), Buffer.from(bytes), a.bytes.subarray(at)]);
        const { error } = readAnswer(damaged, a.element);
        expect((error as StufProtocolError)?.reason).toBe('encoding');
      }),
      { numRuns: runs(150) },
    );
  });

  it('the StUF-BG namespace rebound to any other URI: wrong_namespace / unexpected_answer, never read as data', () => {
    fc.assert(
      fc.property(fc.nat(), fc.oneof(fc.webUrl(), fc.constantFrom('', 'http://www.egem.nl/StUF/sector/bg/0204', NS.stuf, NS.soap11, 'urn:x')), (i, uri) => {
        cases.hit('wrong namespace');
        const a = answers[i % answers.length]!;
        const text = a.bytes.toString('utf8').replaceAll(`"${NS.bg}"`, `"${uri.replaceAll('"', '%22')}"`);
        const { error } = readAnswer(text, a.element);
        expect(error).toBeInstanceOf(StufProtocolError);
        expect(['wrong_namespace', 'unexpected_answer', 'malformed']).toContain((error as StufProtocolError).reason);
      }),
      { numRuns: runs(100) },
    );
  });
});

describe('end to end: every backend answer damaged', () => {
  it('detail and list reads: 200/404 or a clean 502/504 in time, and the next clean read works', async () => {
    await fc.assert(
      fc.asyncProperty(mutationsArb, fc.constantFrom('detail', 'list', 'list-fields'), async (ms, route) => {
        cases.hit('gateway ← damaged answers');
        const path = route === 'detail' ? detailPath : route === 'list' ? '/api/v1/klanten?subjectType=vestiging' : '/api/v1/klanten?subjectType=niet_natuurlijk_persoon&fields=bedrijfsnaam,adres';
        const headers = { authorization: `Bearer ${h.token('reader')}` };
        damage = ms;
        try {
          const r = await rawRequest(h.gateway.url, { path, headers });
          expectClean(r, [200, 404, 502, 504], `${route} with ${describeMutations(ms)}`);
          if (r.status === 200 && route === 'detail') expect(r.body.url).toBe(`${h.gateway.url}${detailPath}`);
        } finally {
          damage = [];
        }
        const clean = await rawRequest(h.gateway.url, { path, headers });
        expect(clean.status, `after ${describeMutations(ms)}`).toBe(200);
      }),
      { numRuns: runs(150) },
    );
  });
});
