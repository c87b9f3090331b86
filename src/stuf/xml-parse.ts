// Parses untrusted XML (backend answers) into the namespace-resolved XmlNode model.
//
// Three steps, each linear in the input:
//  1. decode: bytes → string without loss (BOM, declared encoding, else strict UTF-8);
//  2. guard: one indexOf-driven pass over the markup that rejects what must never reach a parser
//     (DOCTYPE/ENTITY declarations: billion laughs, external entities) and what is not
//     well-formed (mismatched or unclosed tags, a second root, text outside the root), and
//     enforces the limits (depth, element count, text per element) before any tree is built;
//  3. fast-xml-parser (preserveOrder, one shared instance) builds the tree, then our own
//     namespace resolution (xmlns / xmlns:p on any element, scoped) turns it into XmlNodes.
// Processing instructions and comments are dropped. Only StufProtocolError is ever thrown.
import { XMLParser } from 'fast-xml-parser';
import { StufProtocolError } from './errors.ts';
import type { XmlAttr, XmlNode } from './xml-node.ts';

export interface XmlLimits {
  /** Characters of (decoded) input. */
  maxChars: number;
  /** Element nesting depth (the root is depth 1). */
  maxDepth: number;
  /** Elements in the document. */
  maxElements: number;
  /** Characters of raw character data (text + CDATA) directly inside one element. */
  maxTextLength: number;
}

export const DEFAULT_XML_LIMITS: Readonly<XmlLimits> = Object.freeze({
  maxChars: 32 * 1024 * 1024,
  maxDepth: 64,
  maxElements: 250_000,
  maxTextLength: 1024 * 1024,
});

export interface ParseOptions {
  limits?: Partial<XmlLimits>;
  /** charset from the HTTP Content-Type; used for bytes without BOM or encoding declaration. */
  charset?: string;
}

const XML_NS = 'http://www.w3.org/XML/1998/namespace';

// XML's predefined entities and character references. Anything else (`&nbsp;`, `&#0;`) is kept
// literally: lenient, and no data is invented or lost. DOCTYPE-defined entities never get here.
const ENTITY_RE = /&(?:#x([0-9a-fA-F]{1,6})|#([0-9]{1,7})|(lt|gt|amp|quot|apos));/g;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  if (text.indexOf('&') === -1) return text;
  return text.replace(ENTITY_RE, (whole, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    if (name !== undefined) return NAMED[name] ?? whole;
    const cp = hex !== undefined ? parseInt(hex, 16) : parseInt(dec ?? '', 10);
    const allowed =
      cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
    return allowed ? String.fromCodePoint(cp) : whole;
  });
}

const entityDecoder = {
  decode: decodeEntities,
  reset(): void {},
  setXmlVersion(): void {},
  setExternalEntities(): void {},
  addInputEntities(): void {
    // Unreachable: the guard rejects every DOCTYPE before fast-xml-parser runs.
    throw new StufProtocolError('doctype', 'DOCTYPE declarations are not accepted');
  },
};

// One parser for the process: its options are fixed, parse() keeps no state between calls.
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  entityDecoder,
  // The guard enforces the configured depth; this only keeps fast-xml-parser's own cap out of the way.
  maxNestedTags: 10_000,
  jPath: false,
});

/** Parse untrusted XML into an XmlNode tree (the root element). Throws only StufProtocolError. */
export function parseXml(input: string | Uint8Array, options: ParseOptions = {}): XmlNode {
  const limits = options.limits ? { ...DEFAULT_XML_LIMITS, ...options.limits } : DEFAULT_XML_LIMITS;
  const xml = typeof input === 'string' ? stripBom(input) : decodeBytes(input, options.charset, limits.maxChars);
  if (xml.length > limits.maxChars) {
    throw new StufProtocolError('limit', `XML larger than ${limits.maxChars} characters`);
  }
  guard(xml, limits);
  let ordered: unknown;
  try {
    ordered = parser.parse(xml);
  } catch (e) {
    if (e instanceof StufProtocolError) throw e;
    throw new StufProtocolError('malformed', `XML not parseable: ${(e as Error).message}`, { cause: e });
  }
  for (const entry of ordered as OrderedEntry[]) {
    const name = elementName(entry);
    if (name !== undefined) return toXmlNode(entry, name, ROOT_SCOPE);
  }
  throw new StufProtocolError('malformed', 'XML has no root element');
}

// ---------------------------------------------------------------------------------------------
// 1. Decoding

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

const LATIN1_LABELS = new Set(['iso-8859-1', 'iso8859-1', 'latin1', 'latin-1', 'windows-1252', 'cp1252', 'us-ascii', 'ascii']);
const UTF8_LABELS = new Set(['utf-8', 'utf8']);

/**
 * Bytes → string, never silently replacing bytes: a BOM decides, else the encoding in the XML
 * declaration, else the HTTP charset, else UTF-8. Latin-1 / windows-1252 map every byte to a
 * character, so they never fail; UTF-8 is decoded strictly (invalid sequences are an error,
 * because U+FFFD replacement would lose data). UTF-16 is accepted with a BOM only.
 */
function decodeBytes(bytes: Uint8Array, charset: string | undefined, maxChars: number): string {
  // UTF-8 never has fewer bytes than characters, UTF-16 has two per unit: a cheap early cut.
  if (bytes.length > maxChars * 4) throw new StufProtocolError('limit', `XML larger than ${maxChars} characters`);
  let label = 'utf-8';
  let offset = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) offset = 3;
  else if (bytes[0] === 0xff && bytes[1] === 0xfe) [label, offset] = ['utf-16le', 2];
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) [label, offset] = ['utf-16be', 2];
  else label = declaredEncoding(bytes) ?? charset?.trim().toLowerCase() ?? 'utf-8';

  if (LATIN1_LABELS.has(label)) label = 'windows-1252';
  else if (!UTF8_LABELS.has(label) && label !== 'utf-16le' && label !== 'utf-16be') {
    throw new StufProtocolError('encoding', `unsupported XML encoding "${label.slice(0, 40)}"`);
  }
  try {
    return new TextDecoder(label, { fatal: true, ignoreBOM: true }).decode(bytes.subarray(offset));
  } catch (e) {
    throw new StufProtocolError('encoding', `XML is not valid ${label}`, { cause: e });
  }
}

/** encoding="..." of an <?xml ...?> declaration at the very start (ASCII-compatible bytes only). */
function declaredEncoding(bytes: Uint8Array): string | undefined {
  if (bytes[0] !== 0x3c || bytes[1] !== 0x3f) return undefined; // '<?'
  const end = Math.min(bytes.length, 200);
  let head = '';
  for (let i = 0; i < end; i++) {
    const b = bytes[i] as number;
    head += String.fromCharCode(b);
    if (b === 0x3e) break; // '>'
  }
  const m = /^<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head);
  return m?.[1]?.toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// 2. Guard

const LT = 60; // <
const GT = 62; // >
const SLASH = 47;
const BANG = 33;
const QMARK = 63;
const DQUOTE = 34;
const SQUOTE = 39;

function guard(xml: string, limits: XmlLimits): void {
  const stack: string[] = [];
  let elements = 0;
  let sawRoot = false;
  let textInElement = 0; // raw character data directly inside the current element
  let i = 0;
  const len = xml.length;
  while (i < len) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt === -1 ? len : lt;
    if (textEnd > i) {
      if (stack.length === 0) {
        if (!isBlank(xml, i, textEnd)) throw malformed('text outside the root element');
      } else {
        textInElement += textEnd - i;
        if (textInElement > limits.maxTextLength) throw tooMuchText(limits);
      }
    }
    if (lt === -1) break;
    const c1 = xml.charCodeAt(lt + 1);
    if (c1 === SLASH) {
      const gt = xml.indexOf('>', lt + 2);
      if (gt === -1) throw malformed('unterminated end tag');
      const name = xml.slice(lt + 2, gt).trimEnd();
      const open = stack.pop();
      if (open === undefined) throw malformed(`end tag </${clip(name)}> without start tag`);
      if (open !== name) throw malformed(`end tag </${clip(name)}> does not match <${clip(open)}>`);
      textInElement = 0;
      i = gt + 1;
    } else if (c1 === QMARK) {
      const end = xml.indexOf('?>', lt + 2);
      if (end === -1) throw malformed('unterminated processing instruction');
      i = end + 2;
    } else if (c1 === BANG) {
      if (xml.startsWith('--', lt + 2)) {
        const end = xml.indexOf('-->', lt + 4);
        if (end === -1) throw malformed('unterminated comment');
        i = end + 3;
      } else if (xml.startsWith('[CDATA[', lt + 2)) {
        const end = xml.indexOf(']]>', lt + 9);
        if (end === -1) throw malformed('unterminated CDATA section');
        if (stack.length === 0) throw malformed('CDATA outside the root element');
        textInElement += end - (lt + 9);
        if (textInElement > limits.maxTextLength) throw tooMuchText(limits);
        i = end + 3;
      } else {
        // <!DOCTYPE, <!ENTITY, <!ELEMENT, <!ATTLIST ... : never needed by SOAP, the root of
        // entity-expansion and external-entity attacks.
        throw new StufProtocolError('doctype', 'DOCTYPE/ENTITY declarations are not accepted');
      }
    } else {
      const gt = endOfStartTag(xml, lt + 1);
      if (gt === -1) throw malformed('unterminated start tag');
      const name = tagName(xml, lt + 1, gt);
      if (name === '') throw malformed('start tag without a name');
      if (stack.length === 0) {
        if (sawRoot) throw malformed('more than one root element');
        sawRoot = true;
      }
      if (++elements > limits.maxElements) {
        throw new StufProtocolError('limit', `XML has more than ${limits.maxElements} elements`);
      }
      if (stack.length >= limits.maxDepth) {
        throw new StufProtocolError('limit', `XML nested deeper than ${limits.maxDepth} elements`);
      }
      if (xml.charCodeAt(gt - 1) !== SLASH) stack.push(name);
      textInElement = 0;
      i = gt + 1;
    }
  }
  if (stack.length > 0) throw malformed(`element <${clip(stack[stack.length - 1] ?? '')}> is not closed`);
  if (!sawRoot) throw malformed('XML has no root element');
}

/** Index of the '>' that ends a start tag, skipping quoted attribute values; -1 when none. */
function endOfStartTag(xml: string, from: number): number {
  for (let j = from; j < xml.length; j++) {
    const c = xml.charCodeAt(j);
    if (c === GT) return j;
    if (c === DQUOTE || c === SQUOTE) {
      j = xml.indexOf(c === DQUOTE ? '"' : "'", j + 1);
      if (j === -1) return -1;
    } else if (c === LT) {
      return -1; // '<' cannot appear inside a tag
    }
  }
  return -1;
}

function tagName(xml: string, from: number, gt: number): string {
  let j = from;
  while (j < gt) {
    const c = xml.charCodeAt(j);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === SLASH) break;
    j++;
  }
  return xml.slice(from, j);
}

function isBlank(xml: string, from: number, to: number): boolean {
  for (let j = from; j < to; j++) {
    const c = xml.charCodeAt(j);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return false;
  }
  return true;
}

function clip(name: string): string {
  return name.length > 60 ? `${name.slice(0, 60)}…` : name;
}

function malformed(what: string): StufProtocolError {
  return new StufProtocolError('malformed', `XML not well-formed: ${what}`);
}

function tooMuchText(limits: XmlLimits): StufProtocolError {
  return new StufProtocolError('limit', `XML element text longer than ${limits.maxTextLength} characters`);
}

// ---------------------------------------------------------------------------------------------
// 3. Namespace resolution: fast-xml-parser's ordered output → XmlNode

/** preserveOrder entry: { 'p:name': children, ':@': attrs } or { '#text': text }. */
type OrderedEntry = Record<string, unknown>;

/** Prefix → namespace URI; '' is the default namespace. Chained through prototypes per scope. */
type Scope = Record<string, string>;

const ROOT_SCOPE: Scope = Object.assign(Object.create(null) as Scope, { xml: XML_NS, '': '' });

/** Tag name of an element entry (its first key; fast-xml-parser puts ':@' after it). */
function elementName(entry: OrderedEntry): string | undefined {
  for (const key in entry) {
    if (key !== ':@' && key !== '#text') return key;
  }
  return undefined;
}

function isXmlns(key: string): boolean {
  return key.charCodeAt(0) === 120 /* x */ && (key === 'xmlns' || key.startsWith('xmlns:'));
}

function toXmlNode(entry: OrderedEntry, qname: string, parentScope: Scope): XmlNode {
  const rawAttrs = entry[':@'] as Record<string, string> | undefined;

  let scope = parentScope;
  let attrKeys: string[] | undefined;
  if (rawAttrs) {
    for (const key in rawAttrs) {
      if (isXmlns(key)) {
        if (scope === parentScope) scope = Object.create(parentScope) as Scope;
        scope[key.length === 5 ? '' : key.slice(6)] = rawAttrs[key] as string;
      } else {
        (attrKeys ??= []).push(key);
      }
    }
  }

  const colon = qname.indexOf(':');
  const ns = scope[colon === -1 ? '' : qname.slice(0, colon)];
  if (ns === undefined) throw undeclared(qname.slice(0, colon));

  const attrs: XmlAttr[] = [];
  if (attrKeys) {
    for (const key of attrKeys) {
      const value = (rawAttrs as Record<string, string>)[key] as string;
      const ac = key.indexOf(':');
      if (ac === -1) {
        attrs.push({ ns: '', name: key, value }); // unprefixed attributes have no namespace
      } else {
        const attrNs = scope[key.slice(0, ac)];
        if (attrNs === undefined) throw undeclared(key.slice(0, ac));
        attrs.push({ ns: attrNs, name: key.slice(ac + 1), value });
      }
    }
  }

  const children: XmlNode[] = [];
  let text = '';
  const content = entry[qname] as OrderedEntry[];
  for (let i = 0; i < content.length; i++) {
    const item = content[i] as OrderedEntry;
    const t = item['#text'];
    if (t !== undefined) {
      text += t as string;
    } else {
      const name = elementName(item);
      if (name !== undefined) children.push(toXmlNode(item, name, scope));
    }
  }
  return { ns, name: colon === -1 ? qname : qname.slice(colon + 1), attrs, children, text };
}

function undeclared(prefix: string): StufProtocolError {
  return new StufProtocolError('malformed', `XML uses undeclared prefix "${clip(prefix)}"`);
}
