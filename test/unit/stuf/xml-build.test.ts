import fc from 'fast-check';
import { XMLBuilder } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { StufProtocolError } from '../../../src/stuf/errors.ts';
import { buildXml, escapeAttribute, escapeText } from '../../../src/stuf/xml-build.ts';
import { NS, attr, el, textEl, type XmlNode } from '../../../src/stuf/xml-node.ts';
import { parseXml } from '../../../src/stuf/xml-parse.ts';

describe('buildXml', () => {
  it('uses fixed prefixes, ns1.. for others, and declares everything on the root only', () => {
    const doc = el(NS.soap11, 'Envelope', [
      el(NS.soap11, 'Body', [
        el(NS.bg, 'npsLv01', [
          textEl(NS.stuf, 'berichtcode', 'Lv01'),
          el(NS.zkn, 'z', [], [attr(NS.xsi, 'nil', 'true')]),
          textEl('urn:first', 'a', '1'),
          textEl('urn:second', 'b', '2', [attr('urn:first', 'k', 'v')]),
          textEl('', 'plain', '3'),
        ]),
      ]),
    ]);
    const xml = buildXml(doc, { xmlDeclaration: false });
    expect(xml).toBe(
      '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:BG="http://www.egem.nl/StUF/sector/bg/0310"' +
        ' xmlns:StUF="http://www.egem.nl/StUF/StUF0301" xmlns:ZKN="http://www.egem.nl/StUF/sector/zkn/0310"' +
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:ns1="urn:first" xmlns:ns2="urn:second">' +
        '<soap:Body><BG:npsLv01><StUF:berichtcode>Lv01</StUF:berichtcode><ZKN:z xsi:nil="true"/><ns1:a>1</ns1:a>' +
        '<ns2:b ns1:k="v">2</ns2:b><plain>3</plain></BG:npsLv01></soap:Body></soap:Envelope>',
    );
  });

  it('starts with an XML declaration by default', () => {
    expect(buildXml(el('', 'a'))).toBe('<?xml version="1.0" encoding="UTF-8"?><a/>');
  });

  it('escapes text and attribute values', () => {
    const xml = buildXml(textEl('', 'a', `<b> & "q" 'a' ]]> \r`, [attr('', 'v', `<&>"'\t\n\r`)]), { xmlDeclaration: false });
    expect(xml).toBe(`<a v="&lt;&amp;&gt;&quot;&apos;&#9;&#10;&#13;">&lt;b&gt; &amp; "q" 'a' ]]&gt; &#13;</a>`);
  });

  it('drops characters XML 1.0 cannot carry', () => {
    const xml = buildXml(textEl('', 'a', 'x\u0000y\u001fz\uFFFE\uD800!', [attr('', 'v', '\u0001ok')]), { xmlDeclaration: false });
    expect(xml).toBe('<a v="ok">xyz!</a>');
  });

  it('keeps surrogate pairs', () => {
    expect(buildXml(textEl('', 'a', '😀'), { xmlDeclaration: false })).toBe('<a>😀</a>');
  });

  it('drops indentation text of elements with children but keeps real text', () => {
    const n: XmlNode = { ns: '', name: 'a', attrs: [], children: [el('', 'b')], text: '\n  ' };
    expect(buildXml(n, { xmlDeclaration: false })).toBe('<a><b/></a>');
  });

  it.each(['bad name', '1abc', 'a:b', '', 'a<b'])('rejects the invalid name %j', (name) => {
    expect(() => buildXml(el('', name))).toThrow(StufProtocolError);
  });

  it('does not pollute prototypes through attribute names', () => {
    const xml = buildXml(el('', 'a', [], [attr('', '__proto__', 'x')]), { xmlDeclaration: false });
    expect(xml).toBe('<a __proto__="x"/>');
    expect(parseXml('<a/>').attrs).toEqual([]);
  });

  it('round-trips any text and attribute value through parseXml (property)', () => {
    // Characters XML cannot carry are dropped by design; everything else must survive.
    // eslint-disable-next-line no-control-regex
    const representable = (s: string): string => s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 60 }), (text, value) => {
        const clean = (s: string): string => representable(s.isWellFormed() ? s : s.toWellFormed().replace(/\uFFFD/g, ''));
        const t = clean(text);
        const v = clean(value);
        const back = parseXml(buildXml(textEl(NS.bg, 'a', t, [attr(NS.stuf, 'v', v)])));
        expect(back.text).toBe(t);
        expect(back.attrs).toEqual([{ ns: NS.stuf, name: 'v', value: v }]);
      }),
      { numRuns: 1000 },
    );
  });

  it('writes what the fast-xml-parser XMLBuilder it replaced wrote, byte for byte (property)', () => {
    const names = fc.constantFrom('a', 'b', 'object', 'extraElement', 'aoa.postcode', 'x-y', '__proto__', 'constructor', '_1', 'é');
    const namespaces = fc.constantFrom('', NS.soap11, NS.stuf, NS.bg, NS.zkn, NS.xsi, 'urn:first', 'urn:second', 'http://www.w3.org/XML/1998/namespace');
    const text = fc.oneof(fc.constant(''), fc.constantFrom('\n  ', ' ', 'true', 'VES0000000004'), fc.string({ unit: 'binary', maxLength: 12 }));
    const attrs = fc.array(fc.record({ ns: namespaces, name: names, value: text }), { maxLength: 4 });
    const { node } = fc.letrec<{ node: XmlNode }>((tie) => ({
      node: fc.record({
        ns: namespaces,
        name: names,
        attrs,
        children: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.constant<XmlNode[]>([]), fc.array(tie('node'), { maxLength: 4 })),
        text,
      }),
    }));
    fc.assert(
      fc.property(node, fc.boolean(), (root, declaration) => {
        expect(buildXml(root, { xmlDeclaration: declaration })).toBe(referenceBuild(root, declaration));
      }),
      { numRuns: 2000 },
    );
  });

  it('escapes exactly as the escaping regexes do, with or without the clean-value shortcut (property)', () => {
    // The regexes escapeText/escapeAttribute always applied before values were scanned first.
    const invalid = '[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\uFFFE\\uFFFF]|[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]';
    const textRe = new RegExp(`[&<>\\r]|${invalid}`, 'g');
    const attrRe = new RegExp(`[&<>"'\\t\\n\\r]|${invalid}`, 'g');
    const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };
    const byRegex = (re: RegExp, v: string): string => v.replace(re, (ch) => escapes[ch] ?? '');
    const special = fc.constantFrom('&', '<', '>', '"', "'", '\t', '\n', '\r', '\u0000', '\u001f', '\ud800', '\udc00', '😀', '\ufffe', '\uffff', '\ufffd', 'a', ' ');
    const value = fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.array(special, { maxLength: 12 }).map((a) => a.join('')));
    fc.assert(
      fc.property(value, (v) => {
        expect(escapeText(v)).toBe(byRegex(textRe, v));
        expect(escapeAttribute(v)).toBe(byRegex(attrRe, v));
      }),
      { numRuns: 3000 },
    );
  });

  it('fails on more than 100 nested elements, as the builder did', () => {
    let deep = el('', 'leaf');
    for (let i = 0; i < 100; i++) deep = el('', 'n', [deep]);
    expect(() => buildXml(deep)).toThrow('Maximum nested tags exceeded');
    expect(() => referenceBuild(deep, true)).toThrow('Maximum nested tags exceeded');
    expect(buildXml(deep.children[0]!)).toBe(referenceBuild(deep.children[0]!, true));
  });
});

// The implementation buildXml had before it wrote XML itself (fast-xml-parser's XMLBuilder over an
// ordered-object copy of the tree), kept here as the reference the new one must equal.
const referenceBuilder = new XMLBuilder({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  suppressEmptyNode: true,
  processEntities: false,
  tagValueProcessor: (_name, value) => escapeText(value as string),
  attributeValueProcessor: (_name, value) => escapeAttribute(value as string),
});

const REF_FIXED: ReadonlyMap<string, string> = new Map([
  [NS.soap11, 'soap'],
  [NS.stuf, 'StUF'],
  [NS.bg, 'BG'],
  [NS.zkn, 'ZKN'],
  [NS.xsi, 'xsi'],
]);
const REF_XML_NS = 'http://www.w3.org/XML/1998/namespace';

function referenceBuild(node: XmlNode, declaration: boolean): string {
  const prefixes = new Map<string, string>();
  const body = referenceOrdered(node, prefixes);
  const rootAttrs = Object.create(null) as Record<string, string>;
  for (const [uri, prefix] of prefixes) if (uri !== REF_XML_NS) rootAttrs[`xmlns:${prefix}`] = uri;
  Object.assign(rootAttrs, body[':@']);
  if (Object.keys(rootAttrs).length > 0) body[':@'] = rootAttrs;
  const xml = referenceBuilder.build([body]) as string;
  return declaration ? '<?xml version="1.0" encoding="UTF-8"?>' + xml : xml;
}

function referenceOrdered(node: XmlNode, prefixes: Map<string, string>): Record<string, unknown> {
  const qname = referenceQualify(node.ns, node.name, prefixes);
  const content: Record<string, unknown>[] = [];
  if (node.text !== '' && (node.children.length === 0 || node.text.trim() !== '')) content.push({ '#text': node.text });
  for (const c of node.children) content.push(referenceOrdered(c, prefixes));
  const entry: Record<string, unknown> = { [qname]: content };
  if (node.attrs.length > 0) {
    const attrs = Object.create(null) as Record<string, string>;
    for (const a of node.attrs) attrs[referenceQualify(a.ns, a.name, prefixes)] = a.value;
    entry[':@'] = attrs;
  }
  return entry;
}

function referenceQualify(ns: string, name: string, prefixes: Map<string, string>): string {
  if (ns === '') return name;
  let prefix = prefixes.get(ns);
  if (prefix === undefined) {
    let n = 1;
    for (const known of prefixes.keys()) if (known !== REF_XML_NS && !REF_FIXED.has(known)) n++;
    prefix = ns === REF_XML_NS ? 'xml' : (REF_FIXED.get(ns) ?? `ns${n}`);
    prefixes.set(ns, prefix);
  }
  return `${prefix}:${name}`;
}
