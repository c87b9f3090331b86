// npm run bench:micro — in-process costs of the two pieces every uncached read passes through, each
// against a baseline measured in the same run:
//   - parseXml (the gateway's hardened StUF parser) on a 100-object La01, against fast-xml-parser's
//     bare XMLParser on the same bytes (the price of the hostile-XML guard and namespace resolution);
//   - the simulator's own work per detail question (parse + answer, validation excluded), against
//     XSD validation of the same message (the benchmark's direct-SOAP baseline must stay honest).
// These were timed unit tests once; speed belongs here, the tests keep only the behaviour.
import { XMLParser } from 'fast-xml-parser';
import { parseXml } from '../src/stuf/xml-parse.ts';
import { demoSnapshot } from '../src/simulator/demo/demo-data.ts';
import { StufEngine } from '../src/simulator/engine.ts';
import { MessageLog } from '../src/simulator/message-log.ts';
import { ObjectStore } from '../src/simulator/store.ts';
import { simulatorValidator } from '../src/simulator/validator.ts';
import { npsLa01 } from '../test/unit/stuf/fixtures.ts';
import { extra, lv01 } from '../test/unit/simulator/stuf-fixtures.ts';

/** Median milliseconds per call of fn over `runs` calls, after a warm-up. */
function median(fn: () => unknown, runs: number): number {
  for (let i = 0; i < Math.min(50, runs); i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}

const rows: { what: string; ms: number; baseline?: string }[] = [];

// parseXml against the bare parser
const la01 = Buffer.from(npsLa01(100));
const bare = new XMLParser({ ignoreAttributes: false, removeNSPrefix: false });
rows.push({ what: 'fast-xml-parser bare, La01 100 objects', ms: median(() => bare.parse(la01), 200) });
rows.push({ what: 'parseXml (guarded, ns-resolved), same bytes', ms: median(() => parseXml(la01), 200), baseline: 'fast-xml-parser bare, La01 100 objects' });

// the simulator's own work per detail question
const store = new ObjectStore();
store.load(demoSnapshot({ seed: 1, count: 2000 }));
const validator = simulatorValidator();
const engine = new StufEngine({
  store,
  validator,
  log: new MessageLog(0),
  ctx: { identity: { organisatie: 'o', applicatie: 'app' }, nextReferentie: () => 'R1', now: () => new Date() },
  soapActions: new Map(),
});
const key = store.list('NPS')[500]?.key;
const detail = lv01('NPS', { key, scope: '<BG:inp.bsn xsi:nil="true"/><BG:geslachtsnaam xsi:nil="true"/><BG:verblijfsadres/>' + extra({ bronorganisatie: null, klantnummer: null }) });
const received = engine.receive(detail, undefined);
if (!received.valid || engine.answer(received).berichtcode !== 'La01') throw new Error('the detail question is not answered with a La01');
const selection = engine.receive(lv01('NPS', { gelijk: extra({ bronorganisatie: '002220647', klantnummer: '10000100' }) }), undefined);

rows.push({ what: 'XSD validation of a detail Lv01', ms: median(() => validator.validate(detail), 400) });
const answerMs = median(() => engine.answer(received), 400);
const receiveMs = median(() => engine.receive(detail, undefined), 400);
rows.push({ what: 'simulator own work per detail Lv01 (parse + answer)', ms: answerMs + Math.max(0, receiveMs - rows[2]!.ms), baseline: 'XSD validation of a detail Lv01' });
rows.push({ what: 'simulator selection Lv01 over 2000 objects (answer)', ms: median(() => engine.answer(selection), 100), baseline: 'XSD validation of a detail Lv01' });

const byName = new Map(rows.map((r) => [r.what, r.ms]));
console.log(['what'.padEnd(56), 'median ms'.padStart(10), 'ratio'.padStart(8), '  baseline'].join(''));
for (const r of rows) {
  const base = r.baseline ? byName.get(r.baseline) : undefined;
  const ratio = base ? `${(r.ms / base).toFixed(2)}×` : '';
  console.log([r.what.padEnd(56), r.ms.toFixed(3).padStart(10), ratio.padStart(8), r.baseline ? `  ${r.baseline}` : ''].join(''));
}
