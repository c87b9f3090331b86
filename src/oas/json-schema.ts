// OpenAPI 3.0 schema objects → JSON Schema 2019-09, for validators (ajv) that know JSON Schema
// but not OpenAPI's dialect:
// - `nullable: true` → "null" added to `type` / `enum` (or anyOf[null, schema] around a $ref or
//   composition, where a type union would not reach the referenced schema);
// - `discriminator` → an if/then chain on the property's value, so a klant is checked against the
//   schema its subjectType names (explicit mapping, or implicitly the schema of that name), with
//   understandable errors instead of oneOf noise. Two styles exist in the Klanten API documents:
//   * inheritance (the standard): `Klant` carries the discriminator and natuurlijk_persoon is
//     allOf[Klant, ...]. A `$ref` to Klant outside an allOf is polymorphic; inside an allOf it is
//     the plain base (otherwise natuurlijk_persoon → Klant → natuurlijk_persoon would loop);
//   * oneOf + mapping (the served document's KlantPolymorf).
//   Absent or null discriminator value: the oneOf members that no mapping names (the base for
//   the inheritance style).
// - OpenAPI-only keywords (example, xml, discriminator, readOnly...) are dropped.
// Options: `partial` (a `fields` response: nothing is required, and an absent discriminator
// accepts any mapped schema) and `closed` (a property no schema describes is an error, using
// unevaluatedProperties at each instance location, so allOf/if-then compositions still work).
import type { OasSchema, OpenApiDocument } from './types.ts';

export type JsonSchema = { [key: string]: unknown } | boolean;

export interface JsonSchemaOptions {
  /** `$id` of the schema holding the converted components; refs become `<defsId>#/$defs/<name>`. */
  defsId: string;
  partial?: boolean;
  closed?: boolean;
  /**
   * Also accept what the reference implementation renders but its OAS omits: null for any object
   * group, "" for any string enum. For checking responses against the unmodified standard.
   */
  referenceRendering?: boolean;
}

const COMPONENT_PREFIX = '#/components/schemas/';
const POLYMORPH_PREFIX = 'polymorf:';

/** Keywords with the same meaning in OpenAPI 3.0 and JSON Schema 2019-09, copied as they are. */
const PLAIN_KEYWORDS = [
  'type',
  'format',
  'enum',
  'pattern',
  'maxLength',
  'minLength',
  'maximum',
  'minimum',
  'multipleOf',
  'maxItems',
  'minItems',
  'uniqueItems',
  'maxProperties',
  'minProperties',
] as const;

/** Where a schema sits: the use site, a property value, an array item, or inside a composition. */
type Position = 'root' | 'property' | 'item' | 'applicator' | 'allOfMember';

interface Ctx {
  doc: OpenApiDocument;
  opts: JsonSchemaOptions;
}

function componentName(ref: string): string {
  if (!ref.startsWith(COMPONENT_PREFIX)) throw new Error(`unsupported $ref ${ref}`);
  return decodeURIComponent(ref.slice(COMPONENT_PREFIX.length));
}

function component(ctx: Ctx, name: string): OasSchema {
  const schema = ctx.doc.components.schemas?.[name];
  if (!schema) throw new Error(`unresolved schema ${name}`);
  return schema;
}

function defRef(ctx: Ctx, defName: string): { $ref: string } {
  return { $ref: `${ctx.opts.defsId}#/$defs/${encodeURIComponent(defName)}` };
}

/** Inheritance-style discriminator: the schema itself names the property, no oneOf. */
function isPolymorphicBase(schema: OasSchema): boolean {
  return schema.discriminator !== undefined && schema.oneOf === undefined && schema.anyOf === undefined;
}

/** Does the schema (through refs and compositions) describe properties, i.e. can it be closed? */
function describesProperties(ctx: Ctx, schema: OasSchema, seen = new Set<string>()): boolean {
  if (schema.properties !== undefined) return true;
  if (schema.$ref !== undefined) {
    const name = componentName(schema.$ref);
    if (seen.has(name)) return false;
    seen.add(name);
    return describesProperties(ctx, component(ctx, name), seen);
  }
  return [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])].some((s) =>
    describesProperties(ctx, s, seen),
  );
}

function convertRef(ctx: Ctx, ref: string, position: Position): { $ref: string } {
  const name = componentName(ref);
  const polymorphic = position !== 'allOfMember' && isPolymorphicBase(component(ctx, name));
  return defRef(ctx, polymorphic ? POLYMORPH_PREFIX + name : name);
}

interface Dispatch {
  property: string;
  /** discriminator value → schema ($ref or inline) to apply */
  targets: [string, JsonSchema][];
  /** applied when the value is null or absent */
  fallback: JsonSchema;
}

/** if value == v1 then T1 else if ... else (null/absent) fallback; unknown values are rejected. */
function dispatchSchema(ctx: Ctx, d: Dispatch): JsonSchema {
  const values = d.targets.map(([value]) => value);
  let tail: JsonSchema = d.fallback;
  if (ctx.opts.partial) {
    // `fields` may leave the discriminator out: then any of the schemas may apply.
    tail = { if: { required: [d.property] }, then: d.fallback, else: { anyOf: [...d.targets.map(([, t]) => t), d.fallback] } };
  }
  for (const [value, target] of [...d.targets].reverse()) {
    tail = { if: { required: [d.property], properties: { [d.property]: { const: value } } }, then: target, else: tail };
  }
  return {
    allOf: [
      // A value outside the mapping would otherwise fall through to the fallback unnoticed.
      { properties: { [d.property]: { anyOf: [{ type: 'null' }, { enum: values }] } } },
      tail,
    ],
  };
}

/** Dispatch of a oneOf/anyOf + discriminator schema. */
function oneOfDispatch(ctx: Ctx, schema: OasSchema): Dispatch {
  const discriminator = schema.discriminator;
  if (!discriminator) throw new Error('no discriminator');
  const members = schema.oneOf ?? schema.anyOf ?? [];
  const mapping = discriminator.mapping ?? {};
  const mappedRefs = new Set(Object.values(mapping));
  const targets: [string, JsonSchema][] = Object.entries(mapping).map(([value, ref]) => [
    value,
    convertRef(ctx, ref, 'applicator'),
  ]);
  const unmapped = members.filter((m) => m.$ref === undefined || !mappedRefs.has(m.$ref));
  for (const member of unmapped) {
    // Implicit mapping: a member's schema name is a value too (OpenAPI 3.0 discriminator rules).
    if (member.$ref !== undefined) targets.push([componentName(member.$ref), convertRef(ctx, member.$ref, 'applicator')]);
  }
  const fallbackMembers = unmapped.map((m) => convert(ctx, m, 'applicator'));
  const fallback: JsonSchema =
    fallbackMembers.length === 0 ? { oneOf: members.map((m) => convert(ctx, m, 'applicator')) } : fallbackMembers.length === 1 ? (fallbackMembers[0] as JsonSchema) : { oneOf: fallbackMembers };
  return { property: discriminator.propertyName, targets, fallback };
}

/** Dispatch of an inheritance-style base `name`: values are mapping keys, else schema names. */
function inheritanceDispatch(ctx: Ctx, name: string, schema: OasSchema): Dispatch {
  const discriminator = schema.discriminator;
  if (!discriminator) throw new Error('no discriminator');
  const targets = new Map<string, string>(Object.entries(discriminator.mapping ?? {}).map(([v, ref]) => [v, componentName(ref)]));
  const ownRef = COMPONENT_PREFIX + name;
  for (const [childName, child] of Object.entries(ctx.doc.components.schemas ?? {})) {
    if ((child.allOf ?? []).some((part) => part.$ref === ownRef) && ![...targets.values()].includes(childName)) {
      targets.set(childName, childName);
    }
  }
  return {
    property: discriminator.propertyName,
    targets: [...targets].map(([value, target]) => [value, defRef(ctx, target)]),
    fallback: true,
  };
}

function convertExclusive(out: Record<string, unknown>, schema: OasSchema): void {
  // OpenAPI 3.0 (draft 4 style): boolean exclusiveMaximum/-Minimum next to maximum/minimum.
  if (schema['exclusiveMaximum'] === true && typeof schema.maximum === 'number') {
    out['exclusiveMaximum'] = schema.maximum;
    delete out['maximum'];
  }
  if (schema['exclusiveMinimum'] === true && typeof schema.minimum === 'number') {
    out['exclusiveMinimum'] = schema.minimum;
    delete out['minimum'];
  }
}

function convert(ctx: Ctx, schema: OasSchema, position: Position): JsonSchema {
  let out: Record<string, unknown>;
  if (schema.$ref !== undefined) {
    out = convertRef(ctx, schema.$ref, position);
  } else {
    out = {};
    for (const key of PLAIN_KEYWORDS) if (schema[key] !== undefined) out[key] = structuredClone(schema[key]);
    convertExclusive(out, schema);
    if (schema.required !== undefined && !ctx.opts.partial) out['required'] = [...schema.required];
    if (schema.properties !== undefined) {
      out['properties'] = Object.fromEntries(
        Object.entries(schema.properties).map(([k, v]) => [k, convert(ctx, v, 'property')]),
      );
    }
    if (schema.items !== undefined) out['items'] = convert(ctx, schema.items, 'item');
    const additional = schema['additionalProperties'];
    if (typeof additional === 'boolean') out['additionalProperties'] = additional;
    else if (typeof additional === 'object' && additional !== null) out['additionalProperties'] = convert(ctx, additional as OasSchema, 'property');
    if (schema.not !== undefined) out['not'] = convert(ctx, schema.not, 'applicator');
    const allOf = (schema.allOf ?? []).map((s) => convert(ctx, s, 'allOfMember'));
    if (schema.discriminator !== undefined && (schema.oneOf !== undefined || schema.anyOf !== undefined)) {
      allOf.push(dispatchSchema(ctx, oneOfDispatch(ctx, schema)));
    } else {
      if (schema.oneOf !== undefined) out['oneOf'] = schema.oneOf.map((s) => convert(ctx, s, 'applicator'));
      if (schema.anyOf !== undefined) out['anyOf'] = schema.anyOf.map((s) => convert(ctx, s, 'applicator'));
    }
    if (allOf.length > 0) out['allOf'] = allOf;
    if (ctx.opts.referenceRendering && Array.isArray(out['enum']) && out['type'] === 'string' && !out['enum'].includes('')) {
      out['enum'] = [...out['enum'], ''];
    }
    if (schema.nullable === true) out = nullable(out);
  }
  if (ctx.opts.referenceRendering && position === 'property' && describesProperties(ctx, schema)) out = nullable(out);
  if (ctx.opts.closed && position !== 'applicator' && position !== 'allOfMember' && describesProperties(ctx, schema)) {
    out = { ...out, unevaluatedProperties: false };
  }
  return out;
}

function nullable(out: Record<string, unknown>): Record<string, unknown> {
  const composed = ['allOf', 'oneOf', 'anyOf', '$ref', 'not'].some((k) => k in out);
  if (composed) return { anyOf: [{ type: 'null' }, out] };
  const result = { ...out };
  if (typeof result['type'] === 'string') result['type'] = [result['type'], 'null'];
  if (Array.isArray(result['enum']) && !result['enum'].includes(null)) result['enum'] = [...result['enum'], null];
  return result;
}

/**
 * Every components.schemas entry converted, as one schema to register (ajv.addSchema) under
 * `opts.defsId`; inheritance-style bases get a second, polymorphic definition.
 */
export function convertComponents(doc: OpenApiDocument, opts: JsonSchemaOptions): { $id: string; $defs: Record<string, JsonSchema> } {
  const ctx: Ctx = { doc, opts };
  const defs: Record<string, JsonSchema> = {};
  for (const [name, schema] of Object.entries(doc.components.schemas ?? {})) {
    defs[name] = convert(ctx, schema, 'applicator');
    if (isPolymorphicBase(schema)) {
      defs[POLYMORPH_PREFIX + name] = { allOf: [defRef(ctx, name), dispatchSchema(ctx, inheritanceDispatch(ctx, name, schema))] };
    }
  }
  return { $id: opts.defsId, $defs: defs };
}

/** A schema at a use site (a response body, a request body), referring into convertComponents' result. */
export function convertSchema(doc: OpenApiDocument, schema: OasSchema, opts: JsonSchemaOptions): JsonSchema {
  return convert({ doc, opts }, schema, 'root');
}
