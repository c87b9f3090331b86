// The compiled form of a mapping file: every reference resolved, ready for the engine.
import type { SubjectType } from '../domain/klant.ts';
import type { Conversion } from './conversions.ts';
import type { KlantLeaf } from './klant-shape.ts';
import type { XmlAttr } from '../stuf/xml-node.ts';

export const STUF_NS = 'http://www.egem.nl/StUF/StUF0301';
export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

export type Verwerkingssoort = 'T' | 'W' | 'V' | 'I' | 'R' | 'S' | 'E';

/** One element of the object's layout (XSD order among siblings). */
export interface LayoutNode {
  ns: string;
  name: string;
  /** `/`-joined local names from the object, e.g. `verblijfsadres/aoa.identificatie`. */
  path: string;
  parent: LayoutNode | null;
  children: LayoutNode[];
  /** Sent as StUF:entiteittype (relations, related entities). */
  entiteittype?: string;
  /** StUF:verwerkingssoort in kennisgevingen; 'inherit' = the object's. */
  verwerkingssoort?: Verwerkingssoort | 'inherit';
  /** True for the StUF:extraElementen node. */
  extraElementen: boolean;
  /** A constant element (no field): sent in kennisgevingen, when `with` is sent (or always). */
  fixed?: { text: string; attrs: XmlAttr[]; with?: LayoutNode };
}

export type FieldTarget = { kind: 'element'; node: LayoutNode } | { kind: 'extraElement'; naam: string };

export interface FieldMapping {
  /** Where the entry is in the file, for messages: `entities.vestiging.fields[2]`. */
  source: string;
  leaf: KlantLeaf;
  target: FieldTarget;
  conversion: Conversion;
  fallback?: string;
  /** Most repeated elements allowed for an array field. */
  maxOccurs?: number;
  /** Where to filter backend-side: the element (or extraElement) the value is stored in, another node, or not at all. */
  gelijk: false | 'own' | LayoutNode;
}

export interface EntityMapping {
  subjectType: SubjectType;
  entiteittype: string;
  namespace: string;
  messages: { question: string; answer: string; kennisgeving: string };
  sortering: number;
  defaultScope: string;
  when?: LayoutNode;
  /** The <object> itself; its children are the layout. */
  root: LayoutNode;
  /** xsd:choice groups: nodes of which at most one may be sent. */
  choices: LayoutNode[][];
  fields: FieldMapping[];
}

export interface DialectMapping {
  file: string;
  dialect: string;
  noValue: string;
  entities: EntityMapping[];
}
