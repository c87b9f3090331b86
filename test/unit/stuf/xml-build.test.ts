import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StufProtocolError } from '../../../src/stuf/errors.ts';
import { buildXml } from '../../../src/stuf/xml-build.ts';
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
});
