import { describe, expect, it } from 'vitest';
import { unwrapEnvelope, wrapEnvelope } from '../../../src/stuf/envelope.ts';
import { StufProtocolError } from '../../../src/stuf/errors.ts';
import { buildXml } from '../../../src/stuf/xml-build.ts';
import { NS, attr, el, textEl } from '../../../src/stuf/xml-node.ts';
import { parseXml } from '../../../src/stuf/xml-parse.ts';

const S11 = NS.soap11;
const S12 = NS.soap12;
const payloadXml = `<BG:npsLa01 xmlns:BG="${NS.bg}"><BG:x>1</BG:x></BG:npsLa01>`;

describe('wrapEnvelope → buildXml → parseXml → unwrapEnvelope', () => {
  it.each([
    ['without headers', []],
    ['with a header block', [textEl('urn:h', 'Trace', 'abc', [attr(S11, 'mustUnderstand', '0')])]],
  ])('round-trips the payload %s', (_name, headers) => {
    const payload = el(NS.bg, 'npsLv01', [textEl(NS.stuf, 'berichtcode', 'Lv01'), el(NS.bg, 'gelijk', [], [attr(NS.stuf, 'entiteittype', 'NPS')])]);
    const xml = buildXml(wrapEnvelope(payload, headers));
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><soap:Envelope xmlns:soap="http:\/\/schemas.xmlsoap.org\/soap\/envelope\/"/);
    const u = unwrapEnvelope(parseXml(xml));
    expect(u.soapVersion).toBe('1.1');
    expect(u.payload).toEqual(payload);
    expect(u.headers).toEqual(headers);
    expect(u.fault).toBeUndefined();
  });
});

describe('unwrapEnvelope: what real backends send', () => {
  it.each([
    ['SOAP 1.1 under prefix soapenv', `<soapenv:Envelope xmlns:soapenv="${S11}"><soapenv:Body>${payloadXml}</soapenv:Body></soapenv:Envelope>`, '1.1'],
    ['SOAP 1.1 as default namespace', `<Envelope xmlns="${S11}"><Body>${payloadXml}</Body></Envelope>`, '1.1'],
    ['SOAP 1.2 namespace under a prefix that says 1.1', `<soap11:Envelope xmlns:soap11="${S12}"><soap11:Body>${payloadXml}</soap11:Body></soap11:Envelope>`, '1.2'],
    ['bare payload without envelope', payloadXml, 'none'],
    [
      'WS-Addressing / WCF headers with mustUnderstand',
      `<s:Envelope xmlns:s="${S12}" xmlns:a="http://www.w3.org/2005/08/addressing"><s:Header>` +
        `<a:Action s:mustUnderstand="1">http://www.egem.nl/StUF/sector/bg/0310/npsLa01</a:Action>` +
        `<a:RelatesTo>urn:uuid:1</a:RelatesTo><ActivityId xmlns="http://schemas.microsoft.com/2004/09/ServiceModel/Diagnostics">x</ActivityId>` +
        `</s:Header><s:Body>${payloadXml}</s:Body></s:Envelope>`,
      '1.2',
    ],
    ['whitespace and comments around the payload', `<e:Envelope xmlns:e="${S11}">\n  <e:Body>\n  <!-- hi -->\n  ${payloadXml}\n  </e:Body>\n</e:Envelope>`, '1.1'],
  ])('%s', (_name, xml, version) => {
    const u = unwrapEnvelope(parseXml(xml));
    expect(u.soapVersion).toBe(version);
    expect([u.payload?.ns, u.payload?.name]).toEqual([NS.bg, 'npsLa01']);
    expect(u.payload?.children[0]?.text).toBe('1');
  });

  it('reads a SOAP 1.1 fault with a lower-case faultcode and a StUF Fo02 in detail', () => {
    const u = unwrapEnvelope(
      parseXml(
        `<soap:Envelope xmlns:soap="${S11}"><soap:Body><soap:Fault><faultcode>soap:client</faultcode>` +
          `<faultstring>Fout</faultstring><detail><x:Other xmlns:x="urn:x"/><StUF:Fo02Bericht xmlns:StUF="${NS.stuf}"/></detail>` +
          `</soap:Fault></soap:Body></soap:Envelope>`,
      ),
    );
    expect(u.payload).toBeUndefined();
    expect(u.fault?.code).toBe('client');
    expect(u.fault?.reason).toBe('Fout');
    expect([u.fault?.detail?.ns, u.fault?.detail?.name]).toEqual([NS.stuf, 'Fo02Bericht']);
  });

  it('reads a SOAP 1.2 fault (Code/Subcode/Reason/Detail)', () => {
    const u = unwrapEnvelope(
      parseXml(
        `<env:Envelope xmlns:env="${S12}"><env:Body><env:Fault><env:Code><env:Value>env:Receiver</env:Value>` +
          `<env:Subcode><env:Value>a:InternalError</env:Value></env:Subcode></env:Code>` +
          `<env:Reason><env:Text xml:lang="en">Backend down</env:Text></env:Reason></env:Fault></env:Body></env:Envelope>`,
      ),
    );
    expect(u.fault).toEqual({ code: 'Receiver', subcode: 'InternalError', reason: 'Backend down' });
  });

  it('gives an empty Body as no payload', () => {
    const u = unwrapEnvelope(parseXml(`<s:Envelope xmlns:s="${S11}"><s:Body/></s:Envelope>`));
    expect(u.payload).toBeUndefined();
    expect(u.fault).toBeUndefined();
  });

  it.each([
    ['no Body', `<s:Envelope xmlns:s="${S11}"><s:Header/></s:Envelope>`],
    ['a SOAP element that is not an Envelope', `<s:Body xmlns:s="${S11}">${payloadXml}</s:Body>`],
  ])('rejects %s', (_name, xml) => {
    expect(() => unwrapEnvelope(parseXml(xml))).toThrow(StufProtocolError);
  });
});
