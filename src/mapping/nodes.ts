// Small XmlNode helpers shared by the engine's readers and writers.
import { attr, attrValue, childrenNamed, el, isNoValue, type XmlAttr, type XmlNode } from '../stuf/xml-node.ts';
import { STUF_NS, XSI_NS, type LayoutNode } from './model.ts';

export function nilAttrs(noValue: string | undefined): XmlAttr[] {
  const attrs = [attr(XSI_NS, 'nil', 'true')];
  if (noValue !== undefined) attrs.push(attr(STUF_NS, 'noValue', noValue));
  return attrs;
}

export function extraElement(naam: string, text: string, attrs: XmlAttr[] = []): XmlNode {
  return el(STUF_NS, 'extraElement', [], [attr('', 'naam', naam), ...attrs], text);
}

export function extraElementen(items: XmlNode[]): XmlNode {
  return el(STUF_NS, 'extraElementen', items);
}

export function entiteittypeAttr(value: string): XmlAttr {
  return attr(STUF_NS, 'entiteittype', value);
}

/** True when the element or anything inside it carries a value (not nil, not blank). */
export function carriesValue(node: XmlNode): boolean {
  if (node.children.length === 0) return !isNoValue(node) && node.text.trim() !== '';
  return node.children.some(carriesValue);
}

/**
 * The elements at a layout path below `object`, matched on local name only: backends put
 * elements in unexpected namespaces often enough, and names are unique among siblings.
 */
export function elementsAt(object: XmlNode, node: LayoutNode): XmlNode[] {
  const steps = node.path.split('/');
  let parents = [object];
  for (const step of steps.slice(0, -1)) {
    const next = parents.flatMap((p) => childrenNamed(p, step)).slice(0, 1);
    if (next.length === 0) return [];
    parents = next;
  }
  const last = steps.at(-1) ?? '';
  return parents.flatMap((p) => childrenNamed(p, last));
}

/** StUF:extraElement children of the object's StUF:extraElementen, by naam (any namespace, any count). */
export function extraElementsByName(object: XmlNode): Map<string, XmlNode[]> {
  const out = new Map<string, XmlNode[]>();
  for (const container of childrenNamed(object, 'extraElementen')) {
    for (const item of childrenNamed(container, 'extraElement')) {
      const naam = attrValue(item, 'naam')?.trim();
      if (naam === undefined) continue;
      const list = out.get(naam);
      if (list) list.push(item);
      else out.set(naam, [item]);
    }
  }
  return out;
}
