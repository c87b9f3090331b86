// Well-formed but hostile edits of a real ctpLa01: what a zaaksysteem could answer that the CTP
// dialect must cope with beyond broken bytes (xml-mutations.ts) — an object with two subjects or
// none, a subject element renamed or mislabelled, a relation twice, a missing or shared key, an
// object of another entity type, a duplicated object or extraElement, a list that never ends.
// Each edit picks its target among the matches by `which` (modulo their count); an edit without a
// target leaves the answer as it is.
import fc from 'fast-check';

const SUBJECTS = ['natuurlijkPersoon', 'nietNatuurlijkPersoon', 'vestiging'] as const;

export type CtpEdit =
  | { kind: 'subject-rename'; which: number; to: string }
  | { kind: 'subject-twice'; which: number }
  | { kind: 'subject-entiteittype'; which: number; to: string }
  | { kind: 'relation-twice'; which: number }
  | { kind: 'relation-drop'; which: number }
  | { kind: 'relation-nil'; which: number }
  | { kind: 'gerelateerde-empty'; which: number }
  | { kind: 'object-entiteittype'; which: number; to: string }
  | { kind: 'key'; which: number; to: string | null }
  | { kind: 'key-shared'; which: number }
  | { kind: 'object-twice'; which: number }
  | { kind: 'extra-twice'; which: number; naam: string }
  | { kind: 'vervolg'; to: string };

const which = fc.nat();

export const ctpEditArb: fc.Arbitrary<CtpEdit> = fc.oneof(
  fc.record({ kind: fc.constant('subject-rename' as const), which, to: fc.constantFrom(...SUBJECTS, 'persoon', 'natuurlijkpersoon', 'NPS') }),
  fc.record({ kind: fc.constant('subject-twice' as const), which }),
  fc.record({ kind: fc.constant('subject-entiteittype' as const), which, to: fc.constantFrom('NPS', 'NNP', 'VES', 'CTP', '', 'xyz') }),
  fc.record({ kind: fc.constant('relation-twice' as const), which }),
  fc.record({ kind: fc.constant('relation-drop' as const), which }),
  fc.record({ kind: fc.constant('relation-nil' as const), which }),
  fc.record({ kind: fc.constant('gerelateerde-empty' as const), which }),
  fc.record({ kind: fc.constant('object-entiteittype' as const), which, to: fc.constantFrom('NPS', 'NNP', 'VES', 'CTPSUB', 'ctp', '', 'ZAK') }),
  fc.record({ kind: fc.constant('key' as const), which, to: fc.constantFrom(null, '', ' ', 'CTP0000000001', 'X'.repeat(300), '&amp;&lt;&#0;', '../../etc') }),
  fc.record({ kind: fc.constant('key-shared' as const), which }),
  fc.record({ kind: fc.constant('object-twice' as const), which }),
  fc.record({ kind: fc.constant('extra-twice' as const), which, naam: fc.constantFrom('bronorganisatie', 'klantnummer', 'achternaam', 'subject') }),
  fc.record({ kind: fc.constant('vervolg' as const), to: fc.constantFrom('true', 'TRUE', '1', 'misschien') }),
);

export const ctpEditsArb: fc.Arbitrary<CtpEdit[]> = fc.array(ctpEditArb, { minLength: 1, maxLength: 3 });

const OBJECT_RE = /<ZKN:object\b[^>]*>[\s\S]*?<\/ZKN:object>/g;
const RELATION_RE = /<ZKN:isAanspreekpuntNamens\b[^>]*>[\s\S]*?<\/ZKN:isAanspreekpuntNamens>/g;
const SUBJECT_RE = /<BG:(natuurlijkPersoon|nietNatuurlijkPersoon|vestiging)\b[^>]*?(?:\/>|>[\s\S]*?<\/BG:\1>)/g;
const GERELATEERDE_RE = /<ZKN:gerelateerde>[\s\S]*?<\/ZKN:gerelateerde>/g;

/** Replaces the `which`-th match of `re` in `text` by `replace(match)`. */
function atMatch(text: string, re: RegExp, n: number, replace: (match: string) => string): string {
  const matches = [...text.matchAll(re)];
  if (matches.length === 0) return text;
  const m = matches[n % matches.length]!;
  return text.slice(0, m.index) + replace(m[0]) + text.slice(m.index + m[0].length);
}

function firstKey(text: string): string | undefined {
  return /StUF:sleutelVerzendend="([^"]*)"/.exec(text)?.[1];
}

export function applyCtpEdit(text: string, e: CtpEdit): string {
  switch (e.kind) {
    case 'subject-rename':
      return atMatch(text, SUBJECT_RE, e.which, (m) => m.replace(/^<BG:\w+/, `<BG:${e.to}`).replace(/<\/BG:\w+>$/, `</BG:${e.to}>`));
    case 'subject-twice':
      return atMatch(text, SUBJECT_RE, e.which, (m) => m + m);
    case 'subject-entiteittype':
      return atMatch(text, SUBJECT_RE, e.which, (m) => m.replace(/^(<BG:\w+[^>]*?StUF:entiteittype=")[^"]*"/, `$1${e.to}"`));
    case 'relation-twice':
      return atMatch(text, RELATION_RE, e.which, (m) => m + m);
    case 'relation-drop':
      return atMatch(text, RELATION_RE, e.which, () => '');
    case 'relation-nil':
      return atMatch(text, RELATION_RE, e.which, () => '<ZKN:isAanspreekpuntNamens StUF:entiteittype="CTPSUB" xsi:nil="true" StUF:noValue="geenWaarde"/>');
    case 'gerelateerde-empty':
      return atMatch(text, GERELATEERDE_RE, e.which, () => '<ZKN:gerelateerde/>');
    case 'object-entiteittype':
      return atMatch(text, OBJECT_RE, e.which, (m) => m.replace(/^(<ZKN:object\b[^>]*?StUF:entiteittype=")[^"]*"/, `$1${e.to}"`));
    case 'key':
      return atMatch(text, OBJECT_RE, e.which, (m) =>
        m.replace(/^(<ZKN:object\b[^>]*?) StUF:sleutelVerzendend="[^"]*"/, e.to === null ? '$1' : `$1 StUF:sleutelVerzendend="${e.to}"`),
      );
    case 'key-shared': {
      const key = firstKey(text);
      if (key === undefined) return text;
      return atMatch(text, OBJECT_RE, e.which, (m) => m.replace(/^(<ZKN:object\b[^>]*?StUF:sleutelVerzendend=")[^"]*"/, `$1${key}"`));
    }
    case 'object-twice':
      return atMatch(text, OBJECT_RE, e.which, (m) => m + m);
    case 'extra-twice':
      return atMatch(text, new RegExp(`<StUF:extraElement naam="${e.naam}"[^>]*>[^<]*</StUF:extraElement>`, 'g'), e.which, (m) => m + m.replace(/>[^<]*</, '>anders<'));
    case 'vervolg':
      return text.replace(/<StUF:indicatorVervolgvraag>[^<]*<\/StUF:indicatorVervolgvraag>/, `<StUF:indicatorVervolgvraag>${e.to}</StUF:indicatorVervolgvraag>`);
  }
}

export function applyCtpEdits(answer: Buffer, edits: readonly CtpEdit[]): Buffer {
  return Buffer.from(edits.reduce(applyCtpEdit, answer.toString('utf8')), 'utf8');
}

export function describeCtpEdits(edits: readonly CtpEdit[]): string {
  return JSON.stringify(edits).slice(0, 400);
}
