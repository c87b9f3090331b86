// KLANT_FIELD_PATHS is hard-coded (no file I/O at start-up); this keeps it equal to what the
// project's OAS says. On failure, paste the printed list into src/representation/klant-field-paths.ts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { KLANT_FIELD_PATHS } from '../../../src/representation/klant-field-paths.ts';
import { fieldPathsFromOas } from '../../../src/representation/oas-field-paths.ts';

const oas: unknown = parse(readFileSync(new URL('../../../schemas/oas/klanten-api-1.0.0.openapi.yaml', import.meta.url), 'utf8'));

describe('KLANT_FIELD_PATHS', () => {
  it('equals the union of Klant and its three subjectIdentificatie variants in the OAS', () => {
    const fromOas = fieldPathsFromOas(oas, ['Klant', 'natuurlijk_persoon', 'niet_natuurlijk_persoon', 'vestiging']);
    expect(KLANT_FIELD_PATHS, JSON.stringify(fromOas, null, 2)).toEqual(fromOas);
  });

  it('includes paths only a variant has (the base Klant has no subjectIdentificatie)', () => {
    expect(fieldPathsFromOas(oas, ['Klant'])).not.toContain('subjectIdentificatie');
    expect(KLANT_FIELD_PATHS).toEqual(
      expect.arrayContaining([
        'subjectIdentificatie.inpBsn', // natuurlijk_persoon
        'subjectIdentificatie.innNnpId', // niet_natuurlijk_persoon
        'subjectIdentificatie.vestigingsNummer', // vestiging
        'subjectIdentificatie.subVerblijfBuitenland.lndLandcode', // all three, once
      ]),
    );
    expect(KLANT_FIELD_PATHS.filter((p) => p.endsWith('.lndLandcode'))).toHaveLength(1);
  });
});

describe('fieldPathsFromOas', () => {
  const doc = {
    components: {
      schemas: {
        Item: { properties: { id: {}, tags: { type: 'array', items: { properties: { name: {} } } } } },
        Base: { properties: { a: {}, item: { $ref: '#/components/schemas/Item' } } },
        Variant: { allOf: [{ $ref: '#/components/schemas/Base' }, { properties: { b: { properties: { c: {} } } } }] },
        Loop: { properties: { self: { $ref: '#/components/schemas/Loop' } } },
      },
    },
  };

  it('resolves $ref, allOf and array items, union in first-seen order', () => {
    expect(fieldPathsFromOas(doc, ['Base', 'Variant'])).toEqual(['a', 'item', 'item.id', 'item.tags', 'item.tags.name', 'b', 'b.c']);
  });

  it('refuses recursive schemas and unresolved refs', () => {
    expect(() => fieldPathsFromOas(doc, ['Loop'])).toThrow();
    expect(() => fieldPathsFromOas(doc, ['Missing'])).toThrow(/unresolved/);
  });
});
