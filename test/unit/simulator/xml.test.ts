import { describe, expect, it } from 'vitest';
import { cloneNode, parseXml, toXml, XmlSyntaxError } from '../../../src/simulator/xml.ts';
import { NS } from '../../../src/stuf/xml-node.ts';

describe('simulator XML reader/writer', () => {
  it('resolves namespaces by scope, not by prefix', () => {
    const root = parseXml(
      `<?xml version="1.0"?><!-- c --><a:x xmlns:a="urn:a" xmlns="urn:d"><y a:k="1" k="2"/><a:z xmlns:a="urn:other"><w/></a:z></a:x>`,
    );
    expect(root).toMatchObject({ ns: 'urn:a', name: 'x' });
    const [y, z] = root.children;
    expect(y).toMatchObject({ ns: 'urn:d', name: 'y', attrs: [{ ns: 'urn:a', name: 'k', value: '1' }, { ns: '', name: 'k', value: '2' }] });
    expect(z).toMatchObject({ ns: 'urn:other', name: 'z' });
    expect(z?.children[0]).toMatchObject({ ns: 'urn:d', name: 'w' });
  });

  it('decodes entities and character references, keeps CDATA as text', () => {
    const root = parseXml(`<r a="&quot;x&quot; &amp; &#233;">&lt;b&gt; &#x1F600; <![CDATA[<raw & text>]]></r>`);
    expect(root.attrs[0]?.value).toBe('"x" & é');
    expect(root.text).toBe('<b> 😀 <raw & text>');
  });

  it('refuses DOCTYPE and malformed input', () => {
    expect(() => parseXml('<!DOCTYPE r [<!ENTITY e "x">]><r>&e;</r>')).toThrow(XmlSyntaxError);
    expect(() => parseXml('<r><a></r>')).toThrow(XmlSyntaxError);
    expect(() => parseXml('<r/><s/>')).toThrow(XmlSyntaxError);
    expect(() => parseXml('<p:r/>')).toThrow(/undeclared prefix/);
  });

  it('writes the simulator prefixes, escapes, and round-trips', () => {
    const node = parseXml(
      `<BG:object xmlns:BG="${NS.bg}" xmlns:StUF="${NS.stuf}" xmlns:xsi="${NS.xsi}" StUF:entiteittype="NPS"><BG:naam>A &amp; B &lt;C&gt;</BG:naam><BG:leeg xsi:nil="true" StUF:noValue="geenWaarde"/><StUF:extraElementen><StUF:extraElement naam="x&quot;y">1</StUF:extraElement></StUF:extraElementen><q:o xmlns:q="urn:q"/></BG:object>`,
    );
    const xml = toXml(node);
    expect(xml).toBe(
      '<BG:object StUF:entiteittype="NPS"><BG:naam>A &amp; B &lt;C&gt;</BG:naam><BG:leeg xsi:nil="true" StUF:noValue="geenWaarde"/><StUF:extraElementen><StUF:extraElement naam="x&quot;y">1</StUF:extraElement></StUF:extraElementen><ns0:o xmlns:ns0="urn:q"/></BG:object>',
    );
    const again = parseXml(xml.replace('<BG:object', `<BG:object xmlns:BG="${NS.bg}" xmlns:StUF="${NS.stuf}" xmlns:xsi="${NS.xsi}"`));
    expect(again).toEqual(cloneNode(node));
  });
});
