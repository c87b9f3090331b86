// Serializes an XmlNode tree with fast-xml-parser's XMLBuilder (one shared instance).
// Prefixes are fixed for the namespaces people read in backend logs (soap, StUF, BG, ZKN, xsi);
// any other namespace gets ns1, ns2, ... in order of appearance. All declarations go on the root
// element. Text and attribute values are escaped here (the builder's own entity handling is off),
// so the output is well-formed whatever the values hold.
import { XMLBuilder } from 'fast-xml-parser';
import { StufProtocolError } from './errors.ts';
import { NS, type XmlNode } from './xml-node.ts';

const XML_NS = 'http://www.w3.org/XML/1998/namespace';

const FIXED_PREFIXES: ReadonlyMap<string, string> = new Map([
  [NS.soap11, 'soap'],
  [NS.stuf, 'StUF'],
  [NS.bg, 'BG'],
  [NS.zkn, 'ZKN'],
  [NS.xsi, 'xsi'],
]);

export interface BuildOptions {
  /** Prepend `<?xml version="1.0" encoding="UTF-8"?>` (default true). */
  xmlDeclaration?: boolean;
}

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

const builder = new XMLBuilder({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  suppressEmptyNode: true,
  processEntities: false,
  tagValueProcessor: (_name, value) => escapeText(value as string),
  attributeValueProcessor: (_name, value) => escapeAttribute(value as string),
});

/** Serialize `node` as a document (its root element). */
export function buildXml(node: XmlNode, options: BuildOptions = {}): string {
  const prefixes = new Map<string, string>();
  const body = toOrdered(node, prefixes);

  // Namespace declarations first on the root, then the root's own attributes.
  const rootAttrs = Object.create(null) as Record<string, string>;
  for (const [uri, prefix] of prefixes) {
    if (uri !== XML_NS) rootAttrs[`xmlns:${prefix}`] = uri;
  }
  Object.assign(rootAttrs, body[':@']);
  if (Object.keys(rootAttrs).length > 0) body[':@'] = rootAttrs;

  const xml = builder.build([body]) as string;
  return options.xmlDeclaration === false ? xml : DECLARATION + xml;
}

type OrderedEntry = Record<string, unknown>;

function toOrdered(node: XmlNode, prefixes: Map<string, string>): OrderedEntry {
  const qname = qualify(node.ns, node.name, prefixes);
  const content: OrderedEntry[] = [];
  // XmlNode keeps one text per element; with children it is normally indentation, dropped here.
  if (node.text !== '' && (node.children.length === 0 || node.text.trim() !== '')) content.push({ '#text': node.text });
  for (const c of node.children) content.push(toOrdered(c, prefixes));

  const entry: OrderedEntry = { [qname]: content };
  if (node.attrs.length > 0) {
    const attrs = Object.create(null) as Record<string, string>;
    for (const a of node.attrs) attrs[qualify(a.ns, a.name, prefixes)] = a.value;
    entry[':@'] = attrs;
  }
  return entry;
}

// Qualified names of the fixed namespaces never change: cache them (names repeat a lot).
const fixedQNames = new Map<string, Map<string, string>>();

function qualify(ns: string, name: string, prefixes: Map<string, string>): string {
  if (ns === '') {
    checkName(name);
    return name;
  }
  let prefix = prefixes.get(ns);
  if (prefix === undefined) {
    prefix = ns === XML_NS ? 'xml' : (FIXED_PREFIXES.get(ns) ?? nextGeneratedPrefix(prefixes));
    prefixes.set(ns, prefix);
  }
  const fixed = FIXED_PREFIXES.has(ns);
  if (fixed) {
    const cached = fixedQNames.get(ns)?.get(name);
    if (cached !== undefined) return cached;
  }
  checkName(name);
  const qname = `${prefix}:${name}`;
  if (fixed) {
    let byName = fixedQNames.get(ns);
    if (!byName) fixedQNames.set(ns, (byName = new Map()));
    if (byName.size < 10_000) byName.set(name, qname);
  }
  return qname;
}

function nextGeneratedPrefix(prefixes: Map<string, string>): string {
  let n = 1;
  for (const ns of prefixes.keys()) if (ns !== XML_NS && !FIXED_PREFIXES.has(ns)) n++;
  return `ns${n}`;
}

// Local names as NCName (no colon); checked once per distinct name, names repeat a lot.
const NCNAME = /^[A-Za-z_\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD][\w.\-\u00B7\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u037D\u037F-\u1FFF\u200C-\u200D\u203F\u2040\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD]*$/;
const checkedNames = new Set<string>();

function checkName(name: string): void {
  if (checkedNames.has(name)) return;
  if (!NCNAME.test(name)) {
    throw new StufProtocolError('invalid_outgoing', `cannot build XML: "${name.slice(0, 60)}" is not a valid element or attribute name`);
  }
  if (checkedNames.size < 10_000) checkedNames.add(name);
}

// Characters XML 1.0 cannot carry at all (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/F)
// are dropped. CR (and in attributes tab and LF) become character references, so the receiver's
// line-end and attribute-value normalization cannot change the value.
const INVALID = '[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\uFFFE\\uFFFF]|[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]';
const TEXT_RE = new RegExp(`[&<>\\r]|${INVALID}`, 'g');
const ATTR_RE = new RegExp(`[&<>"'\\t\\n\\r]|${INVALID}`, 'g');
const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};
const replaceChar = (ch: string): string => ESCAPES[ch] ?? '';

function escapeWith(re: RegExp, value: string): string {
  re.lastIndex = 0;
  if (!re.test(value)) return value;
  re.lastIndex = 0;
  return value.replace(re, replaceChar);
}

/** Escape character data; drops characters XML cannot represent. */
export function escapeText(value: string): string {
  return escapeWith(TEXT_RE, value);
}

/** Escape an attribute value (quotes, tab, LF, CR too); drops characters XML cannot represent. */
export function escapeAttribute(value: string): string {
  return escapeWith(ATTR_RE, value);
}
