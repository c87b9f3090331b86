// The simulator's own XML reader and writer over the shared XmlNode model. The simulator is a
// separate system from the gateway, so it does not borrow the gateway's StUF parser.
//
// The reader only ever sees input that libxml2 has already accepted (every incoming message is
// XSD-validated first) or files the simulator wrote itself (XSDs, snapshots), so it is a small
// linear scanner, not a hardened parser. It still refuses DOCTYPE and other declarations: they
// are never valid in SOAP and the request path rejects them before libxml2 sees them.
import type { XmlAttr, XmlNode } from '../stuf/xml-node.ts';
import { NS } from '../stuf/xml-node.ts';

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

export class XmlSyntaxError extends Error {}

const ENTITY_RE = /&(?:#x([0-9a-fA-F]+)|#([0-9]+)|(lt|gt|amp|quot|apos));/g;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY_RE, (whole, hex?: string, dec?: string, name?: string) => {
    if (name) return NAMED[name] ?? whole;
    const cp = hex ? parseInt(hex, 16) : parseInt(dec ?? '', 10);
    return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : whole;
  });
}

interface RawAttr {
  qname: string;
  value: string;
}

interface Open {
  node: XmlNode;
  qname: string;
  scope: Map<string, string>;
}

// Sticky regexes: an attribute, then the end of the start tag.
const ATTR_RE = /\s+([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/y;
const TAG_END_RE = /\s*(\/?)>/y;
const NAME_RE = /[^\s/>]+/y;

/** Parse a document into its root element. Comments and processing instructions are dropped. */
export function parseXml(src: string): XmlNode {
  const stack: Open[] = [];
  let root: XmlNode | undefined;
  const base = new Map<string, string>([['xml', XML_NS]]);
  let i = 0;
  const n = src.length;
  const addText = (t: string): void => {
    const top = stack[stack.length - 1];
    if (top) top.node.text += t;
    else if (t.trim() !== '') throw new XmlSyntaxError('text outside the root element');
  };
  while (i < n) {
    const lt = src.indexOf('<', i);
    if (lt === -1) {
      addText(decode(src.slice(i)));
      break;
    }
    if (lt > i) addText(decode(src.slice(i, lt)));
    const c = src.charCodeAt(lt + 1);
    if (c === 63 /* ? */) {
      i = after(src, '?>', lt);
    } else if (c === 33 /* ! */) {
      if (src.startsWith('<!--', lt)) i = after(src, '-->', lt);
      else if (src.startsWith('<![CDATA[', lt)) {
        const end = src.indexOf(']]>', lt);
        if (end === -1) throw new XmlSyntaxError('unterminated CDATA');
        addText(src.slice(lt + 9, end));
        i = end + 3;
      } else throw new XmlSyntaxError('DOCTYPE and other declarations are not accepted');
    } else if (c === 47 /* / */) {
      const gt = src.indexOf('>', lt);
      if (gt === -1) throw new XmlSyntaxError('unterminated end tag');
      const qname = src.slice(lt + 2, gt).trim();
      const open = stack.pop();
      if (!open || open.qname !== qname) throw new XmlSyntaxError(`unexpected </${qname}>`);
      i = gt + 1;
    } else {
      NAME_RE.lastIndex = lt + 1;
      const nm = NAME_RE.exec(src);
      if (!nm) throw new XmlSyntaxError('bad start tag');
      const qname = nm[0];
      let p = NAME_RE.lastIndex;
      const raw: RawAttr[] = [];
      for (;;) {
        ATTR_RE.lastIndex = p;
        const a = ATTR_RE.exec(src);
        if (!a) break;
        raw.push({ qname: a[1] ?? '', value: decode(a[2] ?? a[3] ?? '') });
        p = ATTR_RE.lastIndex;
      }
      TAG_END_RE.lastIndex = p;
      const end = TAG_END_RE.exec(src);
      if (!end) throw new XmlSyntaxError(`bad start tag <${qname}>`);
      i = TAG_END_RE.lastIndex;
      if (stack.length === 0 && root) throw new XmlSyntaxError('second root element');
      const parentScope = stack[stack.length - 1]?.scope ?? base;
      let elScope = parentScope;
      for (const a of raw) {
        if (a.qname === 'xmlns' || a.qname.startsWith('xmlns:')) {
          if (elScope === parentScope) elScope = new Map(parentScope);
          elScope.set(a.qname === 'xmlns' ? '' : a.qname.slice(6), a.value);
        }
      }
      const node: XmlNode = { ns: resolve(qname, elScope, true), name: local(qname), attrs: [], children: [], text: '' };
      for (const a of raw) {
        if (a.qname === 'xmlns' || a.qname.startsWith('xmlns:')) continue;
        node.attrs.push({ ns: resolve(a.qname, elScope, false), name: local(a.qname), value: a.value });
      }
      const parent = stack[stack.length - 1];
      if (parent) parent.node.children.push(node);
      else root = node;
      if (end[1] !== '/') stack.push({ node, qname, scope: elScope });
    }
  }
  if (stack.length > 0) throw new XmlSyntaxError(`unclosed <${stack[stack.length - 1]?.qname}>`);
  if (!root) throw new XmlSyntaxError('no root element');
  return root;
}

function after(src: string, token: string, from: number): number {
  const at = src.indexOf(token, from);
  if (at === -1) throw new XmlSyntaxError(`missing ${token}`);
  return at + token.length;
}

function local(qname: string): string {
  const colon = qname.indexOf(':');
  return colon === -1 ? qname : qname.slice(colon + 1);
}

function resolve(qname: string, scope: Map<string, string>, isElement: boolean): string {
  const colon = qname.indexOf(':');
  if (colon === -1) return isElement ? (scope.get('') ?? '') : '';
  const prefix = qname.slice(0, colon);
  const uri = scope.get(prefix);
  if (uri === undefined) throw new XmlSyntaxError(`undeclared prefix ${prefix}`);
  return uri;
}

// ---------------------------------------------------------------------------------------------
// Writer. The simulator always answers with the same prefixes; the envelope builders declare
// them on the payload element. A namespace outside this table gets a local declaration.

export const PREFIX: Readonly<Record<string, string>> = {
  [NS.soap11]: 'soap',
  [NS.stuf]: 'StUF',
  [NS.bg]: 'BG',
  [NS.zkn]: 'ZKN',
  [NS.xsi]: 'xsi',
  [XML_NS]: 'xml',
  [XMLNS_NS]: 'xmlns',
};

/** xmlns declarations for the StUF, BG and xsi prefixes, for the payload element. */
export const STUF_BG_DECLS = ` xmlns:StUF="${NS.stuf}" xmlns:BG="${NS.bg}" xmlns:xsi="${NS.xsi}"`;

export function escapeText(s: string): string {
  if (!/[&<>\r]/.test(s)) return s;
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

export function escapeAttr(s: string): string {
  if (!/[&<"\n\r\t]/.test(s)) return s;
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

/** Serialize an element (compact: whitespace-only text between child elements is dropped). */
export function toXml(node: XmlNode): string {
  const out: string[] = [];
  write(node, out);
  return out.join('');
}

function write(node: XmlNode, out: string[]): void {
  let decls = '';
  const known = PREFIX[node.ns];
  let qname: string;
  if (node.ns === '') qname = node.name;
  else if (known) qname = `${known}:${node.name}`;
  else {
    qname = `ns0:${node.name}`;
    decls = ` xmlns:ns0="${escapeAttr(node.ns)}"`;
  }
  out.push('<', qname, decls);
  let k = 1;
  for (const a of node.attrs) out.push(' ', attrName(a, out, () => `ns${k++}`), '="', escapeAttr(a.value), '"');
  const hasChildren = node.children.length > 0;
  const text = hasChildren && node.text.trim() === '' ? '' : node.text;
  if (!hasChildren && text === '') {
    out.push('/>');
    return;
  }
  out.push('>');
  if (text) out.push(escapeText(text));
  for (const c of node.children) write(c, out);
  out.push('</', qname, '>');
}

function attrName(a: XmlAttr, out: string[], nextPrefix: () => string): string {
  if (a.ns === '') return a.name;
  const known = PREFIX[a.ns];
  if (known) return `${known}:${a.name}`;
  const p = nextPrefix();
  out.push(` xmlns:${p}="${escapeAttr(a.ns)}"`);
  return `${p}:${a.name}`;
}

/** Deep copy, so stored objects never share nodes with messages or callers. */
export function cloneNode(node: XmlNode): XmlNode {
  return {
    ns: node.ns,
    name: node.name,
    attrs: node.attrs.map((a) => ({ ...a })),
    children: node.children.map(cloneNode),
    text: node.text,
  };
}
