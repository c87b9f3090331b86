// Namespace-resolved XML element tree shared by the StUF protocol layer and the mapping engine.
// Elements are identified by (namespace URI, local name), never by prefix: real backends use
// any prefix (StUF, stuf, ns1, default namespace) and re-declare it on every element.

export interface XmlAttr {
  /** Namespace URI of the attribute, '' for unqualified attributes. */
  ns: string;
  name: string;
  value: string;
}

export interface XmlNode {
  /** Namespace URI, '' when the element has none. */
  ns: string;
  /** Local name (without prefix). */
  name: string;
  attrs: XmlAttr[];
  children: XmlNode[];
  /** Concatenated character data directly inside this element (not trimmed). */
  text: string;
}

export const NS = {
  soap11: 'http://schemas.xmlsoap.org/soap/envelope/',
  soap12: 'http://www.w3.org/2003/05/soap-envelope',
  stuf: 'http://www.egem.nl/StUF/StUF0301',
  bg: 'http://www.egem.nl/StUF/sector/bg/0310',
  zkn: 'http://www.egem.nl/StUF/sector/zkn/0310',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
} as const;

export function el(ns: string, name: string, children: XmlNode[] = [], attrs: XmlAttr[] = [], text = ''): XmlNode {
  return { ns, name, attrs, children, text };
}

export function textEl(ns: string, name: string, text: string, attrs: XmlAttr[] = []): XmlNode {
  return { ns, name, attrs, children: [], text };
}

export function attr(ns: string, name: string, value: string): XmlAttr {
  return { ns, name, value };
}

/** First child with this local name (and namespace, when given). */
export function child(node: XmlNode | undefined, name: string, ns?: string): XmlNode | undefined {
  if (!node) return undefined;
  return node.children.find((c) => c.name === name && (ns === undefined || c.ns === ns));
}

export function childrenNamed(node: XmlNode | undefined, name: string, ns?: string): XmlNode[] {
  if (!node) return [];
  return node.children.filter((c) => c.name === name && (ns === undefined || c.ns === ns));
}

/** Attribute value by local name (and namespace, when given). */
export function attrValue(node: XmlNode | undefined, name: string, ns?: string): string | undefined {
  if (!node) return undefined;
  return node.attrs.find((a) => a.name === name && (ns === undefined || a.ns === ns))?.value;
}

/**
 * True when the element carries no value: xsi:nil="true" (lenient on the xsi namespace, which some
 * backends misspell) or a StUF:noValue attribute on an empty element.
 */
export function isNoValue(node: XmlNode): boolean {
  const nil = attrValue(node, 'nil');
  if (nil !== undefined && nil.trim() === 'true') return true;
  return attrValue(node, 'noValue') !== undefined && node.children.length === 0 && node.text.trim() === '';
}
