import { Ajv2019 } from 'ajv/dist/2019.js';
import { describe, expect, it } from 'vitest';
import { convertComponents, convertSchema } from '../../../src/oas/json-schema.ts';
import type { JsonSchemaOptions } from '../../../src/oas/json-schema.ts';
import type { OasSchema, OpenApiDocument } from '../../../src/oas/types.ts';

// A small document with both discriminator styles of the Klanten API documents.
const doc: OpenApiDocument = {
  openapi: '3.0.0',
  info: { title: 't', version: '1' },
  paths: {},
  components: {
    schemas: {
      Pet: {
        type: 'object',
        required: ['name'],
        properties: {
          name: { type: 'string', maxLength: 5 },
          kind: { type: 'string', enum: ['cat', 'dog'], nullable: true },
          tag: { type: 'string', nullable: true },
          owner: { $ref: '#/components/schemas/Owner' },
        },
        discriminator: { propertyName: 'kind' },
      },
      Owner: { type: 'object', nullable: true, properties: { age: { type: 'integer', minimum: 0, maximum: 10, exclusiveMaximum: true } } },
      cat: { allOf: [{ $ref: '#/components/schemas/Pet' }, { type: 'object', properties: { lives: { type: 'integer', maximum: 9 } } }] },
      dog: { allOf: [{ $ref: '#/components/schemas/Pet' }, { type: 'object', required: ['bark'], properties: { bark: { type: 'string' } } }] },
      Anything: { type: 'object', nullable: true, enum: [null] },
      Poly: {
        type: 'object',
        oneOf: [{ $ref: '#/components/schemas/cat' }, { $ref: '#/components/schemas/dog' }, { $ref: '#/components/schemas/Plain' }],
        discriminator: { propertyName: 'kind', mapping: { cat: '#/components/schemas/cat', dog: '#/components/schemas/dog' } },
      },
      Plain: { allOf: [{ $ref: '#/components/schemas/Pet' }, { type: 'object', properties: { kind: { type: 'string', nullable: true, enum: [null] } } }] },
    },
  },
};

function validator(use: OasSchema, opts: Omit<JsonSchemaOptions, 'defsId'> = {}) {
  const ajv = new Ajv2019({ allErrors: true, strict: true, strictTypes: false, strictRequired: false, allowUnionTypes: true });
  ajv.addSchema(convertComponents(doc, { defsId: 'urn:klantbrug:test', ...opts }) as object);
  const schema = convertSchema(doc, use, { defsId: 'urn:klantbrug:test', ...opts });
  return ajv.compile(typeof schema === 'boolean' ? schema : { ...schema });
}

const ref = (name: string): OasSchema => ({ $ref: `#/components/schemas/${name}` });

describe('OpenAPI 3.0 → JSON Schema', () => {
  it.each([
    ['nullable enum accepts null', ref('Pet'), { name: 'a', kind: null }, true],
    ['nullable string accepts null', ref('Pet'), { name: 'a', tag: null }, true],
    ['non-nullable string refuses null', ref('Pet'), { name: null }, false],
    ['nullable $ref target accepts null', ref('Pet'), { name: 'a', owner: null }, true],
    ['exclusiveMaximum (boolean form) excludes the maximum', ref('Owner'), { age: 10 }, false],
    ['below the exclusive maximum', ref('Owner'), { age: 9 }, true],
    ['enum [null] + nullable: only null', ref('Anything'), null, true],
    ['enum [null] + nullable: an object is refused', ref('Anything'), {}, false],
  ])('%s', (_name, schema, value, valid) => {
    expect(validator(schema)(value)).toBe(valid);
  });

  describe('inheritance discriminator (Pet → cat/dog by name)', () => {
    const validate = validator(ref('Pet'));
    it.each([
      ['a cat is checked as cat', { name: 'a', kind: 'cat', lives: 10 }, false],
      ['a valid cat', { name: 'a', kind: 'cat', lives: 9 }, true],
      ['a dog needs bark', { name: 'a', kind: 'dog' }, false],
      ['no kind: just Pet', { name: 'a', lives: 99 }, true],
      ['kind null: just Pet', { name: 'a', kind: null, bark: 1 }, true],
      ['unknown kind', { name: 'a', kind: 'cow' }, false],
      ['base rules still apply to a cat', { name: 'toolong', kind: 'cat' }, false],
    ])('%s', (_n, value, valid) => {
      expect(validate(value)).toBe(valid);
    });

    it('treats Pet inside allOf as the plain base (no loop)', () => {
      expect(validator(ref('cat'))({ name: 'a', kind: 'dog' })).toBe(true);
    });
  });

  describe('oneOf + mapping discriminator (Poly)', () => {
    const validate = validator(ref('Poly'));
    it.each([
      ['cat', { name: 'a', kind: 'cat', lives: 3 }, true],
      ['cat with a bad member', { name: 'a', kind: 'cat', lives: 30 }, false],
      ['dog without bark', { name: 'a', kind: 'dog' }, false],
      ['no kind: the unmapped member (Plain)', { name: 'a' }, true],
      ['kind null: Plain', { name: 'a', kind: null }, true],
    ])('%s', (_n, value, valid) => {
      expect(validate(value)).toBe(valid);
    });

    it('names the failing property of the chosen schema only', () => {
      validate({ name: 'a', kind: 'cat', lives: 30 });
      expect(validate.errors?.map((e) => e.instancePath)).toContain('/lives');
      expect(validate.errors?.some((e) => e.params['missingProperty'] === 'bark')).toBe(false);
    });
  });

  describe('partial (a fields response)', () => {
    const validate = validator(ref('Poly'), { partial: true });
    it.each([
      ['required left out', { kind: 'cat' }, true],
      ['no kind: any member may apply', { lives: 3 }, true],
      ['still checks values', { name: 'toolong' }, false],
    ])('%s', (_n, value, valid) => {
      expect(validate(value)).toBe(valid);
    });

    it('without kind, a value no member documents (closed) fails', () => {
      const closed = validator(ref('Poly'), { partial: true, closed: true });
      expect(closed({ lives: 3 })).toBe(true);
      expect(closed({ lives: 30 })).toBe(false);
    });
  });

  describe('closed (undocumented properties are errors)', () => {
    const validate = validator(ref('Poly'), { closed: true });
    it.each([
      ['every property documented via allOf + discriminator', { name: 'a', kind: 'cat', lives: 1, owner: { age: 1 } }, true],
      ['extra top-level property', { name: 'a', kind: 'cat', extra: 1 }, false],
      ['property of another member', { name: 'a', kind: 'cat', bark: 'x' }, false],
      ['extra nested property', { name: 'a', kind: 'cat', owner: { age: 1, x: 1 } }, false],
    ])('%s', (_n, value, valid) => {
      expect(validate(value)).toBe(valid);
    });

    it('leaves free-form objects open', () => {
      const free = validator({ type: 'object', properties: { data: { type: 'object' } } }, { closed: true });
      expect(free({ data: { anything: 1 } })).toBe(true);
      expect(free({ data: {}, other: 1 })).toBe(false);
    });
  });

  describe('referenceRendering', () => {
    it('accepts null groups and "" choices only when asked', () => {
      const withNullGroup = { name: 'a', kind: 'cat', owner: null };
      const nonNullable: OasSchema = { type: 'object', properties: { g: { type: 'object', properties: { c: { type: 'string', enum: ['x'] } } } } };
      expect(validator(nonNullable)({ g: null })).toBe(false);
      expect(validator(nonNullable, { referenceRendering: true })({ g: null })).toBe(true);
      expect(validator(nonNullable)({ g: { c: '' } })).toBe(false);
      expect(validator(nonNullable, { referenceRendering: true })({ g: { c: '' } })).toBe(true);
      expect(validator(ref('Poly'), { referenceRendering: true })(withNullGroup)).toBe(true);
    });
  });
});
