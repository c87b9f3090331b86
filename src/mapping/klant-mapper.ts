// The mapping engine's face: Klant JSON ↔ StUF objects for one dialect, driven by its mapping file.
import type { KlantFilter } from '../backend/klanten-backend.ts';
import type { KlantData, SubjectType } from '../domain/klant.ts';
import { attr, attrValue, el, type XmlNode } from '../stuf/xml-node.ts';
import { MappingError } from './errors.ts';
import { leafAsText } from './klant-shape.ts';
import { STUF_NS, type DialectMapping, type EntityMapping, type Verwerkingssoort } from './model.ts';
import { elementsAt, entiteittypeAttr } from './nodes.ts';
import { buildGelijk, buildScope, mergeScopes } from './question.ts';
import { readKlant } from './read.ts';
import { writeChange } from './change.ts';
import { writeObject } from './write.ts';

export interface EntityInfo {
  subjectType: SubjectType;
  /** StUF entity type, e.g. NPS. */
  entiteittype: string;
  /** Namespace of the messages and entity elements (the sector namespace). */
  namespace: string;
  /** e.g. npsLv01 */
  questionMessage: string;
  /** e.g. npsLa01 */
  answerMessage: string;
  /** e.g. npsLk01 */
  kennisgevingMessage: string;
  /** parameters/sortering to send with questions. */
  sortering: number;
  /**
   * True when this subject type shares its StUF entity with others (CTP): one question answers
   * them all, and each answer object must be classified with subjectTypeOf.
   */
  shared: boolean;
}

export interface ToObjectOptions {
  /** T add, V remove; W (old then new, both W) is better built with toChange; I/R/S/E for completeness. */
  verwerkingssoort: Verwerkingssoort;
  /** The backend's key (StUF:sleutelOntvangend), for W and V. */
  key?: string;
}

export class KlantMapper {
  readonly dialect: string;
  readonly entities: EntityInfo[];
  private readonly mapping: DialectMapping;
  private readonly bySubject: Map<SubjectType, EntityMapping>;
  private readonly fullScopes = new Map<SubjectType, XmlNode>();

  constructor(mapping: DialectMapping) {
    this.mapping = mapping;
    this.dialect = mapping.dialect;
    this.bySubject = new Map(mapping.entities.map((e) => [e.subjectType, e]));
    this.entities = mapping.entities.map((e) => ({
      subjectType: e.subjectType,
      entiteittype: e.entiteittype,
      namespace: e.namespace,
      questionMessage: e.messages.question,
      answerMessage: e.messages.answer,
      kennisgevingMessage: e.messages.kennisgeving,
      sortering: e.sortering,
      shared: e.when !== undefined,
    }));
  }

  entity(subjectType: SubjectType): EntityInfo {
    const info = this.entities.find((e) => e.subjectType === subjectType);
    if (!info) throw this.unmapped(subjectType);
    return info;
  }

  /** La01 answer <object> → KlantData (every field present, OAS order). */
  toKlant(subjectType: SubjectType, object: XmlNode): KlantData {
    return readKlant(this.mapped(subjectType), object);
  }

  /**
   * KlantData → kennisgeving <object> with every mapped element (empty ones nil + noValue), in
   * schema order. For T; for V with a key the object carries only the key. Throws
   * NotRepresentableError for a value the backend cannot hold.
   */
  toObject(subjectType: SubjectType, data: KlantData, opts: ToObjectOptions): XmlNode {
    return writeObject(this.mapped(subjectType), this.mapping.noValue, data, opts);
  }

  /**
   * The [old, new] objects of a W kennisgeving (in message order, both StUF:verwerkingssoort W and
   * StUF:sleutelOntvangend `key`), carrying only the elements that differ between `before` (the
   * state as read) and `after`. Both without children when nothing changed.
   */
  toChange(subjectType: SubjectType, before: KlantData, after: KlantData, key: string): [XmlNode, XmlNode] {
    return writeChange(this.mapped(subjectType), this.mapping.noValue, before, after, key);
  }

  /** `<gelijk>` (a complete element) for a list filter, or 'impossible' when nothing of this entity can match. */
  gelijk(subjectType: SubjectType, filter: KlantFilter): XmlNode | 'impossible' {
    const entity = this.bySubject.get(subjectType);
    return entity ? buildGelijk(entity, filter) : 'impossible';
  }

  /** `<gelijk>` selecting one object by the backend's key. */
  gelijkByKey(subjectType: SubjectType, key: string): XmlNode {
    const entity = this.mapped(subjectType);
    return el(entity.namespace, 'gelijk', [], [entiteittypeAttr(entity.entiteittype), attr(STUF_NS, 'sleutelOntvangend', key)]);
  }

  /** The `<object>` inside `<scope>`: exactly the elements the given Klant field paths need (undefined = all). */
  scope(subjectType: SubjectType, fields?: string[]): XmlNode {
    if (fields !== undefined) return buildScope(this.mapped(subjectType), fields);
    // The full scope depends on the mapping alone: built once per subject type (every read without
    // `fields` asked for it again, ~16 µs per uncached klant_read, measured). Frozen, as it is shared.
    let full = this.fullScopes.get(subjectType);
    if (full === undefined) {
      full = deepFreeze(buildScope(this.mapped(subjectType), undefined));
      this.fullScopes.set(subjectType, full);
    }
    return full;
  }

  /**
   * The scope `<object>` of one question that answers several subject types sharing an entity:
   * everything each of them needs, their `when` elements included (to classify the answers).
   */
  scopeFor(subjectTypes: SubjectType[], fields?: string[]): XmlNode {
    return mergeScopes(subjectTypes.map((t) => buildScope(this.mapped(t), fields)));
  }

  /** In-gateway filter: exact string equality on every given criterion. */
  matches(data: KlantData, filter: KlantFilter): boolean {
    for (const [path, value] of Object.entries(filter) as [string, string | undefined][]) {
      if (value === undefined) continue;
      const actual = path === 'subjectType' ? (data.subjectType ?? '') : leafAsText(data, path);
      if (actual !== value) return false;
    }
    return true;
  }

  /**
   * Which subjectType an answer object is, from its StUF:entiteittype and, for dialects that keep
   * several subject types in one entity, the entity's `when` element. null when none fits.
   */
  subjectTypeOf(object: XmlNode): SubjectType | null {
    const type = attrValue(object, 'entiteittype')?.trim();
    const candidates = this.mapping.entities.filter((e) => e.entiteittype === type);
    const specific = candidates.find((e) => e.when && elementsAt(object, e.when).length > 0);
    return (specific ?? candidates.find((e) => !e.when))?.subjectType ?? null;
  }

  private mapped(subjectType: SubjectType): EntityMapping {
    const entity = this.bySubject.get(subjectType);
    if (!entity) throw this.unmapped(subjectType);
    return entity;
  }

  private unmapped(subjectType: SubjectType): MappingError {
    return new MappingError(`${this.mapping.file}: dialect ${this.mapping.dialect} does not map ${subjectType}`);
  }
}

function deepFreeze(node: XmlNode): XmlNode {
  for (const a of node.attrs) Object.freeze(a);
  Object.freeze(node.attrs);
  for (const c of node.children) deepFreeze(c);
  Object.freeze(node.children);
  return Object.freeze(node);
}
