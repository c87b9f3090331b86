// KlantData → StUF kennisgeving <object>. Every mapped element is sent (empty ones as xsi:nil
// with StUF:noValue, so a W clears them; a group without any value only in a W), children in
// layout (= XSD) order. A value the element cannot hold — too long, wrong pattern, or its
// xsd:choice already taken — goes verbatim into the field's fallback extraElement; without a
// fallback it is a NotRepresentableError.
import type { KlantData } from '../domain/klant.ts';
import { attr, el, type XmlNode } from '../stuf/xml-node.ts';
import type { StufText } from './conversions.ts';
import { NotRepresentableError } from './errors.ts';
import { isEmptyValue, klantLeaves, leafValue, type LeafValue } from './klant-shape.ts';
import { STUF_NS, type EntityMapping, type FieldMapping, type LayoutNode, type Verwerkingssoort } from './model.ts';
import { carriesValue, entiteittypeAttr, extraElement, extraElementen, nilAttrs } from './nodes.ts';

export interface WriteOptions {
  verwerkingssoort: Verwerkingssoort;
  /** The backend's key of the object (StUF:sleutelOntvangend). */
  key?: string | undefined;
  /**
   * Klant fields holding a value as read from the backend (the old object of a W, and what a
   * change leaves as it was): one that does not fit is sent as read instead of refused. It only
   * goes out when it changed, and then it is what the backend holds.
   */
  asRead?: (klantPath: string) => boolean;
}

export function writeObject(entity: EntityMapping, noValue: string, data: KlantData, opts: WriteOptions): XmlNode {
  const attrs = [entiteittypeAttr(entity.entiteittype)];
  if (opts.key !== undefined) attrs.push(attr(STUF_NS, 'sleutelOntvangend', opts.key));
  attrs.push(attr(STUF_NS, 'verwerkingssoort', opts.verwerkingssoort));
  // Removing by key: the backend knows the object. Sending the values as read would make it
  // compare them, and a value read leniently (normalised) would not match what it stores.
  if (opts.verwerkingssoort === 'V' && opts.key !== undefined) return el(entity.namespace, 'object', [], attrs);
  rejectUnmapped(entity, data);

  const values = new Map<FieldMapping, LeafValue>(entity.fields.map((f) => [f, leafValue(data, f.leaf.path, f.leaf.kind)]));
  const losers = choiceLosers(entity, values);
  const content = new Map<LayoutNode, XmlNode[]>();
  const extras: XmlNode[] = [];
  // A value moved between element and fallback must clear the place it left; a T has nothing to clear.
  const clearOther = opts.verwerkingssoort !== 'T';
  const nil = nilAttrs(noValue);

  for (const f of entity.fields) {
    const value = values.get(f) ?? null;
    if (f.target.kind === 'extraElement') {
      const naam = f.target.naam;
      if (isEmptyValue(value)) {
        extras.push(extraElement(naam, '', nil));
        continue;
      }
      const converted = tryConvertAll(f, value);
      if (!converted.ok && !opts.asRead?.(f.leaf.path)) throw new NotRepresentableError(f.leaf.path, converted.reason);
      const texts = converted.ok ? converted.texts : verbatimTexts(value).map((text) => ({ text, attrs: [] }));
      for (const t of texts) extras.push(extraElement(naam, t.text, t.attrs));
      continue;
    }
    const node = f.target.node;
    const winner = losers.get(node);
    const toElement = (texts: StufText[]): void => {
      content.set(node, texts.map((t) => el(node.ns, node.name, [], t.attrs, t.text)));
      if (f.fallback !== undefined && clearOther) extras.push(extraElement(f.fallback, '', nil));
    };
    const toFallback = (reason: string): void => {
      if (f.fallback === undefined && opts.asRead?.(f.leaf.path) && !winner) {
        content.set(node, verbatimTexts(value).map((t) => el(node.ns, node.name, [], [], t)));
        return;
      }
      if (f.fallback === undefined) throw new NotRepresentableError(f.leaf.path, reason);
      if (!winner) content.set(node, [el(node.ns, node.name, [], nil)]);
      for (const text of verbatimTexts(value)) extras.push(extraElement(f.fallback, text));
    };

    if (isEmptyValue(value)) {
      if (!winner) toElement([{ text: '', attrs: nil }]);
      else if (f.fallback !== undefined && clearOther) extras.push(extraElement(f.fallback, '', nil));
    } else if (winner) {
      toFallback(`cannot be stored together with ${winner.path} in this backend`);
    } else {
      const converted = tryConvertAll(f, value);
      if (converted.ok) toElement(converted.texts);
      else toFallback(converted.reason);
    }
  }

  // The `when` element of a dialect with one entity for several subject types is what says the
  // subjectType: it (and the path to it) is sent even when the subject holds no value.
  const marker = markerPath(entity);
  const emitFixed = (node: LayoutNode): XmlNode[] => {
    const fixed = node.fixed;
    if (!fixed) return [];
    if (fixed.with && !(content.get(fixed.with)?.length && !losers.has(fixed.with))) return [];
    return [el(node.ns, node.name, [], fixed.attrs, fixed.text)];
  };
  const emit = (node: LayoutNode): XmlNode[] => {
    if (node.extraElementen) return extras.length > 0 ? [extraElementen(extras)] : [];
    if (node.fixed) return emitFixed(node);
    if (node.children.length === 0) return content.get(node) ?? [];
    if (losers.has(node)) return [];
    const parts = node.children.map((c) => ({ fixed: c.fixed !== undefined, xml: emit(c) }));
    // Constants do not make a group worth sending: only the field elements count.
    const sent = parts.filter((p) => !p.fixed).flatMap((p) => p.xml);
    const nodeAttrs = groupAttrs(node);
    if (sent.length === 0 && !marker.has(node)) return [];
    // Without any value, a relation (node with an entiteittype) is left out, not sent empty; so
    // is a group in a T (nothing to clear). In a W an empty group is sent, with nil children.
    // A marker on the `when` path is sent bare instead: only the path to the `when` element.
    if (!sent.some(carriesValue) && (node.entiteittype !== undefined || opts.verwerkingssoort === 'T' || sent.length === 0)) {
      if (!marker.has(node)) return [];
      const path = node === entity.when ? [] : node.children.filter((c) => marker.has(c)).flatMap(emit);
      return [el(node.ns, node.name, path, nodeAttrs)];
    }
    const children = parts.flatMap((p) => p.xml);
    return [el(node.ns, node.name, children, nodeAttrs)];
  };
  const groupAttrs = (node: LayoutNode): XmlNode['attrs'] => {
    const nodeAttrs = [];
    if (node.entiteittype !== undefined) nodeAttrs.push(entiteittypeAttr(node.entiteittype));
    if (node.verwerkingssoort !== undefined) {
      const soort = node.verwerkingssoort === 'inherit' ? opts.verwerkingssoort : node.verwerkingssoort;
      nodeAttrs.push(attr(STUF_NS, 'verwerkingssoort', soort));
    }
    return nodeAttrs;
  };
  return el(entity.namespace, 'object', entity.root.children.flatMap(emit), attrs);
}

/** The entity's `when` node and its ancestors (below the object): always sent. Empty without `when`. */
export function markerPath(entity: EntityMapping): Set<LayoutNode> {
  const out = new Set<LayoutNode>();
  for (let n = entity.when ?? null; n && n.parent; n = n.parent) out.add(n);
  return out;
}

/**
 * For each xsd:choice only one member may be sent: the first that holds a value (or the first
 * member when none does, so that a W still clears it). Maps every other member to the winner.
 */
function choiceLosers(entity: EntityMapping, values: Map<FieldMapping, LeafValue>): Map<LayoutNode, LayoutNode> {
  const filled = new Set<LayoutNode>();
  for (const [f, v] of values) {
    if (f.target.kind !== 'element' || isEmptyValue(v)) continue;
    for (let n: LayoutNode | null = f.target.node; n; n = n.parent) filled.add(n);
  }
  const losers = new Map<LayoutNode, LayoutNode>();
  for (const members of entity.choices) {
    const winner = members.find((m) => filled.has(m)) ?? members[0];
    if (!winner) continue;
    for (const m of members) if (m !== winner) markSubtree(m, winner, losers);
  }
  return losers;
}

function markSubtree(node: LayoutNode, winner: LayoutNode, out: Map<LayoutNode, LayoutNode>): void {
  out.set(node, winner);
  for (const c of node.children) markSubtree(c, winner, out);
}

type Converted = { ok: true; texts: StufText[] } | { ok: false; reason: string };

function tryConvertAll(f: FieldMapping, value: LeafValue): Converted {
  const items = Array.isArray(value) ? value : [value];
  if (f.maxOccurs !== undefined && items.length > f.maxOccurs) return { ok: false, reason: `more than ${f.maxOccurs} values` };
  const texts: StufText[] = [];
  for (const item of items) {
    if (item === null) continue;
    const r = f.conversion.write(item);
    if (!r.ok) return { ok: false, reason: Array.isArray(value) ? `'${item}' ${r.reason}` : r.reason };
    texts.push(r.value);
  }
  return { ok: true, texts };
}

function verbatimTexts(value: LeafValue): string[] {
  if (Array.isArray(value)) return value;
  return value === null ? [] : [String(value)];
}

/** A non-empty Klant value that no field maps would be lost silently: refuse it instead. */
function rejectUnmapped(entity: EntityMapping, data: KlantData): void {
  const mapped = new Set(entity.fields.map((f) => f.leaf.path));
  for (const leaf of klantLeaves(entity.subjectType).values()) {
    if (!mapped.has(leaf.path) && !isEmptyValue(leafValue(data, leaf.path, leaf.kind))) {
      throw new NotRepresentableError(leaf.path, 'this backend has no place for it');
    }
  }
  const subject = data.subjectIdentificatie as unknown;
  if (subject === null || typeof subject !== 'object') return;
  for (const [key, v] of Object.entries(subject as Record<string, unknown>)) {
    const prefix = `subjectIdentificatie.${key}`;
    const known = [...klantLeaves(entity.subjectType).keys()].some((p) => p === prefix || p.startsWith(`${prefix}.`));
    if (!known && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0)) {
      throw new NotRepresentableError(prefix, `not part of a ${entity.subjectType} subjectIdentificatie`);
    }
  }
}
