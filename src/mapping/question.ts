// The selection and scope parts of an Lv01 question, built from the mapping.
import type { KlantFilter } from '../backend/klanten-backend.ts';
import { attr, el, type XmlNode } from '../stuf/xml-node.ts';
import { klantLeaves } from './klant-shape.ts';
import { STUF_NS, type EntityMapping, type FieldMapping, type LayoutNode } from './model.ts';
import { entiteittypeAttr, extraElement, extraElementen, nilAttrs } from './nodes.ts';
import { markerPath } from './write.ts';

/**
 * `<gelijk>` for a list filter, or 'impossible' when no object of this entity can match. Only
 * fields marked `gelijk` whose value fits the element go backend-side; the caller post-filters
 * every answer with `matches`, so leaving a criterion out is always safe.
 */
export function buildGelijk(entity: EntityMapping, filter: KlantFilter): XmlNode | 'impossible' {
  if (filter.subjectType !== undefined && filter.subjectType !== entity.subjectType) return 'impossible';
  const leaves = klantLeaves(entity.subjectType);
  const byPath = new Map(entity.fields.map((f) => [f.leaf.path, f]));
  const values = new Map<LayoutNode, XmlNode>();
  const extras: XmlNode[] = [];
  for (const [path, value] of Object.entries(filter) as [string, string | undefined][]) {
    if (path === 'subjectType' || value === undefined) continue;
    const field = leaves.has(path) ? byPath.get(path) : undefined;
    // Not a field of this entity, or not mapped: always empty here, so only '' could match.
    if (!field) {
      if (value !== '') return 'impossible';
      continue;
    }
    if (value === '' || field.gelijk === false) continue;
    const criterion = criterionFor(field, value);
    if (!criterion) continue;
    if (criterion.kind === 'extra') extras.push(extraElement(criterion.naam, criterion.text, criterion.attrs));
    else if (!values.has(criterion.node)) values.set(criterion.node, el(criterion.node.ns, criterion.node.name, [], criterion.attrs, criterion.text));
  }
  const children = emitSelected(entity.root, (n) => (values.has(n) ? [values.get(n) as XmlNode] : []), extras);
  return el(entity.namespace, 'gelijk', children, [entiteittypeAttr(entity.entiteittype)]);
}

type Criterion =
  | { kind: 'element'; node: LayoutNode; text: string; attrs: XmlNode['attrs'] }
  | { kind: 'extra'; naam: string; text: string; attrs: XmlNode['attrs'] };

/** Where a stored object keeps this value, so that the backend compares like with like. */
function criterionFor(field: FieldMapping, value: string): Criterion | undefined {
  const klantValue = field.leaf.kind === 'integer' ? Number(value) : value;
  const written = field.conversion.write(klantValue);
  if (field.gelijk !== 'own' && field.gelijk !== false) {
    return written.ok ? { kind: 'element', node: field.gelijk, text: written.value.text, attrs: written.value.attrs } : undefined;
  }
  if (field.target.kind === 'extraElement') {
    return written.ok ? { kind: 'extra', naam: field.target.naam, text: written.value.text, attrs: written.value.attrs } : undefined;
  }
  if (written.ok) return { kind: 'element', node: field.target.node, text: written.value.text, attrs: written.value.attrs };
  // Too big for the element: toObject stored it verbatim in the fallback.
  return field.fallback !== undefined ? { kind: 'extra', naam: field.fallback, text: value, attrs: [] } : undefined;
}

/** `<object>` for the scope: the elements the given Klant fields need (all mapped fields when undefined). */
export function buildScope(entity: EntityMapping, fields: string[] | undefined): XmlNode {
  const objectAttrs = [entiteittypeAttr(entity.entiteittype)];
  if (fields === undefined && entity.defaultScope !== 'mapped') {
    return el(entity.namespace, 'object', [], [...objectAttrs, attr(STUF_NS, 'scope', entity.defaultScope)]);
  }
  const wanted = fields === undefined ? entity.fields : entity.fields.filter((f) => fields.some((p) => covers(p, f.leaf.path)));
  const nodes = new Set<LayoutNode>();
  const names = new Set<string>();
  for (const f of wanted) {
    if (f.target.kind === 'element') nodes.add(f.target.node);
    else names.add(f.target.naam);
    if (f.fallback !== undefined) names.add(f.fallback);
  }
  const asked = nilAttrs(undefined);
  const extras = [...names].map((n) => extraElement(n, '', asked));
  // The `when` element is always asked: without it an answer object cannot be classified.
  const children = emitSelected(entity.root, (n) => (nodes.has(n) ? [el(n.ns, n.name, [], asked)] : []), extras, markerPath(entity));
  return el(entity.namespace, 'object', children, objectAttrs);
}

/**
 * One scope `<object>` asking what each of `scopes` asks (several subject types sharing one
 * entity, asked in one question): children merged by namespace and name at every level, in order
 * of first appearance (the layouts share their order), extraElementen by naam.
 */
export function mergeScopes(scopes: XmlNode[]): XmlNode {
  const [first, ...rest] = scopes;
  if (!first) throw new Error('mergeScopes needs at least one scope');
  return rest.reduce(mergeNode, first);
}

function mergeNode(a: XmlNode, b: XmlNode): XmlNode {
  // A whole-object scope (StUF:scope attribute, no children) already asks for everything.
  if (a.children.length === 0 || b.children.length === 0) return a.children.length === 0 ? a : b;
  const children = [...a.children];
  for (const c of b.children) {
    const at = children.findIndex((x) => x.ns === c.ns && x.name === c.name && sameNaam(x, c));
    const existing = children[at];
    if (!existing) children.push(c);
    else if (c.ns === STUF_NS && c.name === 'extraElementen') children[at] = { ...existing, children: mergeExtras(existing.children, c.children) };
    else if (existing.children.length > 0 && c.children.length > 0) children[at] = mergeNode(existing, c);
    else if (c.children.length === 0 && existing.children.length > 0) children[at] = c; // asked whole
  }
  return { ...a, children };
}

function mergeExtras(a: XmlNode[], b: XmlNode[]): XmlNode[] {
  const naam = (x: XmlNode): string | undefined => x.attrs.find((t) => t.name === 'naam')?.value;
  const have = new Set(a.map(naam));
  return [...a, ...b.filter((x) => !have.has(naam(x)))];
}

function sameNaam(a: XmlNode, b: XmlNode): boolean {
  const naam = (x: XmlNode): string | undefined => x.attrs.find((t) => t.name === 'naam')?.value;
  return naam(a) === naam(b);
}

/** `fields` entries name a leaf or a group (`adres`, `subjectIdentificatie.verblijfsadres`). */
function covers(requested: string, leafPath: string): boolean {
  return leafPath === requested || leafPath.startsWith(`${requested}.`);
}

/** The layout below `root` restricted to what `leaf` yields, groups kept only when non-empty (or in `always`). */
function emitSelected(root: LayoutNode, leaf: (n: LayoutNode) => XmlNode[], extras: XmlNode[], always: Set<LayoutNode> = new Set()): XmlNode[] {
  const emit = (node: LayoutNode): XmlNode[] => {
    if (node.extraElementen) return extras.length > 0 ? [extraElementen(extras)] : [];
    if (node.children.length === 0) return leaf(node);
    const children = node.children.flatMap(emit);
    if (children.length === 0 && !always.has(node)) return [];
    return [el(node.ns, node.name, children, node.entiteittype !== undefined ? [entiteittypeAttr(node.entiteittype)] : [])];
  };
  return root.children.flatMap(emit);
}
