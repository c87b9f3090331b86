// The old/new pair of a W kennisgeving, reduced to what changed (see writeChange).
import type { KlantData } from '../domain/klant.ts';
import type { XmlNode } from '../stuf/xml-node.ts';
import { klantLeaves, leafValue } from './klant-shape.ts';
import { STUF_NS, type EntityMapping } from './model.ts';
import { carriesValue, extraElementen } from './nodes.ts';
import { writeObject } from './write.ts';

/**
 * The old/new pair of a W kennisgeving carrying only what changed: each top-level element (a
 * group as a whole, repeated elements together) and each extraElement whose content differs
 * between `before` and `after`. The backend then checks and rewrites only those, so values it
 * stores in a form the gateway reads leniently (a filler day in a partial date, an unknown code)
 * are neither compared nor overwritten by a PATCH of another field. Unchanged: both objects empty.
 */
export function writeChange(entity: EntityMapping, noValue: string, before: KlantData, after: KlantData, key: string): [XmlNode, XmlNode] {
  const unchanged = (path: string): boolean => {
    const leaf = klantLeaves(entity.subjectType).get(path);
    return !!leaf && JSON.stringify(leafValue(before, path, leaf.kind)) === JSON.stringify(leafValue(after, path, leaf.kind));
  };
  const oud = writeObject(entity, noValue, before, { verwerkingssoort: 'W', key, asRead: () => true });
  const nieuw = writeObject(entity, noValue, after, { verwerkingssoort: 'W', key, asRead: unchanged });
  const a = partsOf(oud);
  const b = partsOf(nieuw);
  const changed = new Set([...a.keys(), ...b.keys()].filter((k) => JSON.stringify(a.get(k)) !== JSON.stringify(b.get(k))));
  // The old object claims nothing about a group that had no value: backends differ on whether
  // an all-nil group equals an absent one. The new one still sends it nil, to clear it.
  return [keepOnly(oud, changed, false), keepOnly(nieuw, changed, true)];
}

/** Top-level content by identity: `el ns|name` (all occurrences) and `extra naam`; groups without value count as absent. */
function partsOf(object: XmlNode): Map<string, XmlNode[]> {
  const parts = new Map<string, XmlNode[]>();
  const add = (k: string, n: XmlNode): void => {
    const list = parts.get(k);
    if (list) list.push(n);
    else parts.set(k, [n]);
  };
  for (const c of object.children) {
    if (c.ns === STUF_NS && c.name === 'extraElementen') for (const x of c.children) add(extraKey(x), x);
    else if (c.children.length === 0 || carriesValue(c)) add(elementKey(c), c);
  }
  return parts;
}

const elementKey = (n: XmlNode): string => `el ${n.ns}|${n.name}`;
const extraKey = (n: XmlNode): string => `extra ${n.attrs.find((a) => a.name === 'naam')?.value ?? ''}`;

function keepOnly(object: XmlNode, keys: Set<string>, emptyGroups: boolean): XmlNode {
  const children: XmlNode[] = [];
  for (const c of object.children) {
    if (c.ns === STUF_NS && c.name === 'extraElementen') {
      const items = c.children.filter((x) => keys.has(extraKey(x)));
      if (items.length > 0) children.push(extraElementen(items));
    } else if (keys.has(elementKey(c)) && (emptyGroups || c.children.length === 0 || carriesValue(c))) {
      children.push(emptyGroups ? c : withoutEmptyGroups(c));
    }
  }
  return { ...object, children };
}

/** The same holds below the top level (groups inside a relation): the old object leaves them out. */
function withoutEmptyGroups(node: XmlNode): XmlNode {
  if (node.children.length === 0) return node;
  const children = node.children.filter((c) => c.children.length === 0 || carriesValue(c)).map(withoutEmptyGroups);
  return { ...node, children };
}
