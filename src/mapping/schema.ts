// Shape of a mapping file (mappings/*.yaml) as written; mappings/README.md explains every key.
// Syntax only: cross-references (paths, layout, Klant fields) are checked by compile.ts.
import { z } from 'zod';
import { SUBJECT_TYPES } from '../domain/klant.ts';

const name = z.string().min(1);

export interface RawLayoutObject {
  element: string;
  entiteittype?: string | undefined;
  verwerkingssoort?: 'T' | 'W' | 'V' | 'I' | 'R' | 'S' | 'E' | 'inherit' | undefined;
  children?: RawLayoutNode[] | undefined;
  fixed?: string | undefined;
  attributes?: Record<string, string> | undefined;
  with?: string | undefined;
}
export type RawLayoutNode = string | RawLayoutObject;

const layoutObject: z.ZodType<RawLayoutObject> = z.strictObject({
  element: name,
  /** StUF:entiteittype on this node (relations and related entities, e.g. CTPSUB, NPS). */
  entiteittype: name.optional(),
  /** StUF:verwerkingssoort on this node in kennisgevingen: a letter, or `inherit` (the object's). */
  verwerkingssoort: z.union([z.enum(['T', 'W', 'V', 'I', 'R', 'S', 'E']), z.literal('inherit')]).optional(),
  /** A group: its children in XSD order. */
  get children() {
    return z.array(layoutNode).min(1).optional();
  },
  /** A constant the XSD demands (e.g. authentiek after inn.nnpId), sent in kennisgevingen only. */
  fixed: z.string().optional(),
  /** Attributes of the fixed element, `prefix:name: value`. */
  attributes: z.record(z.string(), z.string()).optional(),
  /** Send the fixed element only when this element (a layout path) is sent. */
  with: name.optional(),
});
const layoutNode: z.ZodType<RawLayoutNode> = z.union([name, layoutObject], {
  error: 'expected an element name or {element, children} / {element, fixed}',
});

const field = z.strictObject({
  /** Klant JSON path (dotted, OAS names). */
  klant: name,
  /** Element path below <object>: layout names joined by `/`. */
  element: name.optional(),
  /** Name of a StUF:extraElement (the `naam` attribute). */
  extraElement: name.optional(),
  type: z.enum(['string', 'integer', 'date', 'postcode']).optional(),
  /** StUF value → Klant value; the first StUF value listed for a Klant value is the one sent. */
  values: z.record(z.string(), z.string()).optional(),
  /** A StUF value missing from `values` on read: render "" (default) or pass it through. */
  unknownValues: z.enum(['empty', 'keep']).optional(),
  maxLength: z.int().positive().optional(),
  length: z.int().positive().optional(),
  /** XSD pattern the StUF text must match (anchored). */
  pattern: z.string().optional(),
  min: z.int().optional(),
  max: z.int().optional(),
  /** extraElement that holds the value verbatim when the element cannot (too long, pattern, xsd:choice taken). */
  fallback: name.optional(),
  /** Most repeated elements the XSD allows here (Klant arrays); more items go to the fallback. */
  maxOccurs: z.int().positive().optional(),
  /** Filter backend-side (in gelijk): true = on the field's own element, or another element path. */
  gelijk: z.union([z.boolean(), name]).optional(),
});
export type RawField = z.infer<typeof field>;

const scopeSetting = z.enum([
  'mapped',
  'alles',
  'allesZonderMetagegevens',
  'allesMaarKerngegevensGerelateerden',
  'allesZonderMetagegevensMaarKerngegevensGerelateerden',
  'kerngegevens',
]);

const entity = z.strictObject({
  entiteittype: name,
  /** Namespace of the entity's elements; default the file's `namespace`. */
  namespace: name.optional(),
  messages: z.strictObject({ question: name, answer: name, kennisgeving: name }),
  sortering: z.int().min(0).max(99),
  /** Scope when no Klant fields are named: every mapped element, or a StUF:scope attribute value. */
  defaultScope: scopeSetting.optional(),
  /** Element path whose presence marks an object as this subjectType (dialects with one entity for several). */
  when: name.optional(),
  layout: z.array(layoutNode).min(1),
  /** xsd:choice groups among the layout paths: at most one is sent, the first with a value. */
  choices: z.array(z.array(name).min(2)).optional(),
  fields: z.array(field).optional(),
});
export type RawEntity = z.infer<typeof entity>;

export const mappingFileSchema = z.strictObject({
  dialect: name,
  description: z.string().optional(),
  /** Default namespace of entity elements (the sector namespace). */
  namespace: name,
  /** Extra prefixes usable in layout names (`prefix:name`); `StUF` is always known. */
  namespaces: z.record(z.string(), name).optional(),
  /** StUF:noValue sent with xsi:nil on empty elements. */
  noValue: z.enum(['geenWaarde', 'waardeOnbekend', 'vastgesteldOnbekend', 'nietOndersteund', 'nietGeautoriseerd']).optional(),
  /** Fields that apply to every entity (before the entity's own). */
  fields: z.array(field).optional(),
  entities: z.partialRecord(z.enum(SUBJECT_TYPES), entity),
});
export type RawMappingFile = z.infer<typeof mappingFileSchema>;
