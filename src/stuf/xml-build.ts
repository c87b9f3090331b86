// Serializes an XmlNode tree to a string.
// Prefixes are fixed for the namespaces people read in backend logs (soap, StUF, BG, ZKN, xsi);
// any other namespace gets ns1, ns2, ... in order of appearance. All declarations go on the root
// element. Text and attribute values are escaped here, so the output is well-formed whatever the
// values hold.
//
// Written directly rather than through fast-xml-parser's XMLBuilder (which this module used
// before): the builder's generic machinery (an ordered-object copy of the tree, a path matcher
// per element, name validation hooks) cost ~100 µs of the gateway's ~1 ms CPU per uncached
// klant_read (timed in the gateway under bench/read.ts load). The output is byte-for-byte the builder's
// with the options it had (preserveOrder, suppressEmptyNode, no entity processing): empty
// content self-closes, attributes keep first-seen order with the last value of a repeated name,
// namespace prefixes are handed out in the same order (element, its content, then its attributes),
// and more than 100 nested elements fail as the builder did. test/unit/stuf/xml-build.test.ts
// compares the two on generated trees.
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

// The nesting limit of the builder this replaces (its maxNestedTags default).
const MAX_DEPTH = 100;

/** Serialize `node` as a document (its root element). */
export function buildXml(node: XmlNode, options: BuildOptions = {}): string {
  const prefixes = new Map<string, string>();
  const xml = element(node, prefixes, 1, true);
  return options.xmlDeclaration === false ? xml : DECLARATION + xml;
}

/** One element with everything inside it; the root also carries every namespace declaration. */
function element(node: XmlNode, prefixes: Map<string, string>, depth: number, isRoot: boolean): string {
  if (depth > MAX_DEPTH) throw new Error('Maximum nested tags exceeded');
  const qname = qualify(node.ns, node.name, prefixes);
  let content = '';
  // XmlNode keeps one text per element; with children it is normally indentation, dropped here.
  if (node.text !== '' && (node.children.length === 0 || node.text.trim() !== '')) content = escapeText(node.text);
  for (const c of node.children) content += element(c, prefixes, depth + 1, false);

  let attrs = '';
  if (node.attrs.length === 1 && !isRoot) {
    const a = node.attrs[0]!; // the common case (xsi:nil, StUF:entiteittype): nothing to merge
    attrs = ` ${qualify(a.ns, a.name, prefixes)}="${escapeAttribute(a.value)}"`;
  } else if (isRoot || node.attrs.length > 0) {
    // A repeated name keeps its first position and its last value (as object keys did).
    const values = new Map<string, string>();
    for (const a of node.attrs) values.set(qualify(a.ns, a.name, prefixes), a.value);
    if (isRoot) attrs = declarations(prefixes);
    for (const [name, value] of values) attrs += ` ${name}="${escapeAttribute(value)}"`;
  }
  return content === '' ? `<${qname}${attrs}/>` : `<${qname}${attrs}>${content}</${qname}>`;
}

/**
 * xmlns:p="uri" for every namespace used, in order of first use. No attribute of the root can
 * have such a name: local names are NCNames (no colon) and no namespace gets the prefix xmlns.
 */
function declarations(prefixes: Map<string, string>): string {
  let out = '';
  for (const [uri, prefix] of prefixes) {
    if (uri !== XML_NS) out += ` xmlns:${prefix}="${escapeAttribute(uri)}"`;
  }
  return out;
}

// Qualified names of the fixed namespaces never change: cache them (names repeat a lot).
const fixedQNames = new Map<string, Map<string, string>>();

function qualify(ns: string, name: string, prefixes: Map<string, string>): string {
  if (ns === '') {
    checkName(name);
    return name;
  }
  // Fast path (names of fixed namespaces seen before): only the namespace's first use to record.
  const cached = fixedQNames.get(ns)?.get(name);
  if (cached !== undefined) {
    if (!prefixes.has(ns)) prefixes.set(ns, FIXED_PREFIXES.get(ns)!);
    return cached;
  }
  let prefix = prefixes.get(ns);
  if (prefix === undefined) {
    prefix = ns === XML_NS ? 'xml' : (FIXED_PREFIXES.get(ns) ?? nextGeneratedPrefix(prefixes));
    prefixes.set(ns, prefix);
  }
  const fixed = FIXED_PREFIXES.has(ns);
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

// The regexes above are slow to run (their surrogate look-arounds defeat V8's fast scans): ~20% of
// buildXml on a typical Lv01 (measured). Most values (keys, 'true', dates) have nothing to escape,
// which a plain scan for any character either regex could match shows first; only values with
// such a character (or any surrogate, paired or not) go through the regex.
function cleanText(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 ? c !== 0x09 && c !== 0x0a : c === 0x26 || c === 0x3c || c === 0x3e || (c >= 0xd800 && (c <= 0xdfff || c >= 0xfffe))) return false;
  }
  return true;
}

function cleanAttribute(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x26 || c === 0x27 || c === 0x3c || c === 0x3e || (c >= 0xd800 && (c <= 0xdfff || c >= 0xfffe))) return false;
  }
  return true;
}

/** Escape character data; drops characters XML cannot represent. */
export function escapeText(value: string): string {
  return cleanText(value) ? value : escapeWith(TEXT_RE, value);
}

/** Escape an attribute value (quotes, tab, LF, CR too); drops characters XML cannot represent. */
export function escapeAttribute(value: string): string {
  return cleanAttribute(value) ? value : escapeWith(ATTR_RE, value);
}
