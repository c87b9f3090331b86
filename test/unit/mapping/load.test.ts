// A broken mapping file stops start-up with a MappingError that names the bad entry.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadMapping, MappingError, parseMapping } from '../../../src/mapping/index.ts';
import { MAPPING_FILE } from './support.ts';

type Tree = Record<string, any>;  

const original = readFileSync(MAPPING_FILE, 'utf8');
const FILE = 'mappings/x.yaml';

function broken(mutate: (t: Tree) => void): string {
  const tree = parse(original) as Tree;
  mutate(tree);
  return stringify(tree);
}

function errorOf(text: string): string {
  try {
    parseMapping(text, FILE);
  } catch (e) {
    expect(e).toBeInstanceOf(MappingError);
    return (e as Error).message;
  }
  throw new Error('expected a MappingError');
}

const nps = (t: Tree): Tree => t['entities']['natuurlijk_persoon'];
const ves = (t: Tree): Tree => t['entities']['vestiging'];

const CASES: [string, (t: Tree) => void, string][] = [
  ['a number where an element name belongs', (t) => (nps(t)['fields'][3]['element'] = 42), 'entities.natuurlijk_persoon.fields[3].element: expected string'],
  [
    'a misspelt key',
    (t) => {
      const f = nps(t)['fields'][3];
      f['elemnt'] = f['element'];
      delete f['element'];
    },
    'entities.natuurlijk_persoon.fields[3].elemnt: unknown key',
  ],
  ['an element missing from the layout', (t) => (nps(t)['fields'][3]['element'] = 'geslachtsnaamm'), "entities.natuurlijk_persoon.fields[3].element: no element 'geslachtsnaamm' in the layout of natuurlijk_persoon"],
  ['a group used as a value element', (t) => (nps(t)['fields'][3]['element'] = 'verblijfsadres'), "entities.natuurlijk_persoon.fields[3].element: 'verblijfsadres' is a group"],
  ['an unknown Klant field', (t) => (nps(t)['fields'][0]['klant'] = 'subjectIdentificatie.bsn'), "entities.natuurlijk_persoon.fields[0].klant: 'subjectIdentificatie.bsn' is not a Klant field of natuurlijk_persoon"],
  ['a Klant field of another subject type', (t) => (ves(t)['fields'][0]['klant'] = 'subjectIdentificatie.innNnpId'), "entities.vestiging.fields[0].klant: 'subjectIdentificatie.innNnpId' is not a Klant field of vestiging"],
  ['element and extraElement both', (t) => (nps(t)['fields'][3]['extraElement'] = 'geslachtsnaam'), 'entities.natuurlijk_persoon.fields[3]: needs exactly one of element, extraElement'],
  ['neither element nor extraElement', (t) => delete nps(t)['fields'][3]['element'], 'entities.natuurlijk_persoon.fields[3]: needs exactly one of element, extraElement'],
  ['an integer conversion on a text field', (t) => (nps(t)['fields'][3]['type'] = 'integer'), "entities.natuurlijk_persoon.fields[3].type: Klant field 'subjectIdentificatie.geslachtsnaam' is text"],
  ['an unknown conversion', (t) => (nps(t)['fields'][3]['type'] = 'datum'), 'entities.natuurlijk_persoon.fields[3].type: '],
  ['values on an integer field', (t) => (t['fields'][11]['values'] = { '1': 'een' }), 'fields[11].values: values apply to text fields'],
  ['an invalid pattern', (t) => (nps(t)['fields'][0]['pattern'] = '[0-9'), 'entities.natuurlijk_persoon.fields[0].pattern: invalid pattern'],
  ['a negative maxLength in the shared fields', (t) => (t['fields'][4]['maxLength'] = -1), 'fields[4].maxLength: '],
  ['an unknown namespace prefix', (t) => nps(t)['layout'].push('XX:iets'), "entities.natuurlijk_persoon.layout[15]: unknown namespace prefix 'XX'"],
  ['an element twice in the layout', (t) => nps(t)['layout'].push('inp.bsn'), "entities.natuurlijk_persoon.layout[15]: 'inp.bsn' appears twice in the layout"],
  ['a Klant field mapped twice', (t) => nps(t)['fields'].push({ klant: 'subjectIdentificatie.voornamen', extraElement: 'voornamen2' }), "entities.natuurlijk_persoon.fields[17].klant: 'subjectIdentificatie.voornamen' is already mapped by entities.natuurlijk_persoon.fields[6]"],
  ['two fields in one extraElement', (t) => (nps(t)['fields'][1]['fallback'] = 'klantnummer'), "entities.natuurlijk_persoon.fields[1].fallback: extraElement 'klantnummer' is already used by fields[1]"],
  ['an unknown choice member', (t) => (nps(t)['choices'][0][1] = 'anp.id'), "entities.natuurlijk_persoon.choices[0][1]: no element 'anp.id' in the layout"],
  ['choice members that are no siblings', (t) => (nps(t)['choices'][0][1] = 'verblijfsadres/aoa.identificatie'), 'entities.natuurlijk_persoon.choices[0]: choice members must be siblings'],
  ['gelijk on a field a choice can push into its fallback', (t) => (nps(t)['fields'][1]['gelijk'] = true), "entities.natuurlijk_persoon.fields[1].gelijk: 'anp.identificatie' gives way to 'inp.bsn'"],
  ['a gelijk element missing from the layout', (t) => (nps(t)['fields'][0]['gelijk'] = 'bsn'), "entities.natuurlijk_persoon.fields[0].gelijk: no element 'bsn' in the layout"],
  ['an unknown subjectType', (t) => (t['entities']['persoon'] = nps(t)), 'entities.persoon'],
  ['a sortering out of range', (t) => (ves(t)['sortering'] = 100), 'entities.vestiging.sortering: '],
  ['a missing message name', (t) => delete ves(t)['messages']['answer'], 'entities.vestiging.messages.answer: expected string'],
  ['no entities at all', (t) => (t['entities'] = {}), `${FILE}: entities: maps no subjectType`],
  [
    'extraElement fields without StUF:extraElementen in the layout',
    (t) => (ves(t)['layout'] = ves(t)['layout'].filter((n: unknown) => n !== 'StUF:extraElementen')),
    'fields[0].extraElement: the layout of vestiging has no StUF:extraElementen',
  ],
  ['an unknown noValue', (t) => (t['noValue'] = 'leeg'), 'noValue: '],
];

describe('broken mapping files', () => {
  it('the shipped mapping loads', () => {
    const mapping = loadMapping(MAPPING_FILE);
    expect(mapping.entities.map((e) => e.entiteittype)).toEqual(['NPS', 'NNP', 'VES']);
  });

  it.each(CASES)('%s', (_name, mutate, expected) => {
    const message = errorOf(broken(mutate));
    expect(message).toContain(`${FILE}: `);
    expect(message).toContain(expected);
  });

  it('reports every bad entry at once', () => {
    const message = errorOf(
      broken((t) => {
        nps(t)['fields'][3]['element'] = 'nope';
        ves(t)['fields'][0]['klant'] = 'nope';
      }),
    );
    expect(message.split('\n')).toHaveLength(2);
  });

  it('reports a bad shared field once, not once per entity', () => {
    const message = errorOf(broken((t) => (t['fields'][4]['type'] = 'integer')));
    expect(message).toBe(`${FILE}: fields[4].type: Klant field 'websiteUrl' is text, type integer does not fit`);
  });

  it('names the line of a YAML syntax error', () => {
    expect(errorOf('dialect: x\nentities: [\n  a: b\n')).toMatch(/^mappings\/x\.yaml: YAML error at line \d+, column \d+/);
  });

  it('names a file it cannot read', () => {
    expect(() => loadMapping('mappings/does-not-exist.yaml')).toThrow(/mappings\/does-not-exist\.yaml: cannot read mapping file \(ENOENT\)/);
  });
});
