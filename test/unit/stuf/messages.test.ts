import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wrapEnvelope } from '../../../src/stuf/envelope.ts';
import { StufFault, StufProtocolError } from '../../../src/stuf/errors.ts';
import {
  buildLk01,
  buildLv01,
  parseLa01,
  readKennisgevingAnswer,
  readQuestionAnswer,
  type Lv01Question,
  type Mutatiesoort,
} from '../../../src/stuf/messages.ts';
import { buildXml } from '../../../src/stuf/xml-build.ts';
import { NS, attr, attrValue, child, el, textEl, type XmlNode } from '../../../src/stuf/xml-node.ts';
import { parseXml } from '../../../src/stuf/xml-parse.ts';
import { StufXsdValidator } from '../../../src/stuf/xsd-validator.ts';
import { DECLS, ENTITIES, npsAnswerObject, npsLa01, sg } from './fixtures.ts';

let validator: StufXsdValidator;
beforeAll(() => {
  validator = new StufXsdValidator();
});
afterAll(() => validator.dispose());

function expectValid(payload: XmlNode): string {
  const xml = buildXml(wrapEnvelope(payload));
  const result = validator.validate(xml);
  expect(result.errors).toEqual([]);
  expect(result.valid).toBe(true);
  return xml;
}

const names = (n: XmlNode | undefined): string[] => (n?.children ?? []).map((c) => c.name);

describe('buildLv01: valid against the StUF-BG 03.10 XSD', () => {
  const variants: [string, (e: (typeof ENTITIES)[number]) => Partial<Lv01Question>][] = [
    ['gelijk + scope', (e) => ({ gelijk: e.gelijk })],
    ['scope only, minimal parameters', () => ({ maximumAantal: undefined })],
    ['follow-up question with start', (e) => ({ gelijk: e.gelijk, indicatorVervolgvraag: true, start: e.start })],
    ['vanaf/totEnMet range and every parameter', (e) => ({ vanaf: e.gelijk, totEnMet: e.gelijk, indicatorAfnemerIndicatie: false, indicatorAantal: true })],
  ];
  const cases = ENTITIES.flatMap((e) => variants.map(([name, extra]) => [`${e.prefix}Lv01 ${name}`, e, extra] as const));

  it.each(cases)('%s', (_name, e, extra) => {
    const q: Lv01Question = {
      namespace: NS.bg,
      messageName: `${e.prefix}Lv01`,
      entiteittype: e.entiteittype,
      stuurgegevens: sg,
      sortering: 1,
      indicatorVervolgvraag: false,
      maximumAantal: 15,
      scope: e.scope,
      ...extra,
    };
    const payload = buildLv01(q);
    expectValid(payload);

    expect([payload.ns, payload.name]).toEqual([NS.bg, `${e.prefix}Lv01`]);
    const expectedOrder = ['stuurgegevens', 'parameters', 'gelijk', 'vanaf', 'totEnMet', 'scope', 'start'].filter(
      (n) => n === 'stuurgegevens' || n === 'parameters' || n === 'scope' || q[n as keyof Lv01Question] !== undefined,
    );
    expect(names(payload)).toEqual(expectedOrder);
    expect(names(child(payload, 'stuurgegevens'))).toEqual(['berichtcode', 'zender', 'ontvanger', 'referentienummer', 'tijdstipBericht', 'entiteittype']);
    expect(child(child(payload, 'stuurgegevens'), 'berichtcode')?.text).toBe('Lv01');
    const scopeObject = child(child(payload, 'scope'), 'object');
    expect(attrValue(scopeObject, 'entiteittype', NS.stuf)).toBe(e.entiteittype);
    if (q.gelijk) expect(attrValue(child(payload, 'gelijk'), 'entiteittype', NS.stuf)).toBe(e.entiteittype);
  });

  it('the validator does reject a misordered question (the tests above can fail)', () => {
    const e = ENTITIES[0]!;
    const payload = buildLv01({ namespace: NS.bg, messageName: 'npsLv01', entiteittype: 'NPS', stuurgegevens: sg, sortering: 1, indicatorVervolgvraag: false, gelijk: e.gelijk, scope: e.scope });
    const swapped = { ...payload, children: [payload.children[0]!, payload.children[1]!, payload.children[3]!, payload.children[2]!] };
    expect(validator.validate(buildXml(wrapEnvelope(swapped))).valid).toBe(false);
  });

  it('escapes values so the message stays valid and round-trips', () => {
    const gelijk = el(NS.bg, 'object', [textEl(NS.bg, 'geslachtsnaam', `O'Brien & <Zn> "x"`)]);
    const xml = expectValid(buildLv01({ namespace: NS.bg, messageName: 'npsLv01', entiteittype: 'NPS', stuurgegevens: sg, sortering: 0, indicatorVervolgvraag: false, gelijk, scope: ENTITIES[0]!.scope }));
    const back = parseXml(xml).children[0]!.children[0]!;
    expect(child(child(back, 'gelijk'), 'geslachtsnaam')?.text).toBe(`O'Brien & <Zn> "x"`);
  });

  it.each([
    ['sortering out of range', { sortering: 100 }],
    ['negative maximumAantal', { maximumAantal: -1 }],
    ['fractional sortering', { sortering: 1.5 }],
  ])('refuses %s', (_name, bad) => {
    expect(() => buildLv01({ namespace: NS.bg, messageName: 'npsLv01', entiteittype: 'NPS', stuurgegevens: sg, sortering: 1, indicatorVervolgvraag: false, scope: ENTITIES[0]!.scope, ...bad })).toThrow(RangeError);
  });
});

describe('buildLk01: valid against the StUF-BG 03.10 mutatie XSD', () => {
  const kinds: [Mutatiesoort, 'Lk01' | 'Lk02'][] = [
    ['T', 'Lk01'],
    ['W', 'Lk01'],
    ['V', 'Lk01'],
    ['T', 'Lk02'],
    ['W', 'Lk02'],
  ];
  const cases = ENTITIES.flatMap((e) => kinds.map(([m, code]) => [`${e.prefix}${code} ${m}`, e, m, code] as const));

  it.each(cases)('%s', (_name, e, mutatiesoort, code) => {
    const [oldObj, newObj] = e.kennisgeving(mutatiesoort);
    const objects = mutatiesoort === 'W' ? [oldObj, newObj] : mutatiesoort === 'T' ? [newObj] : [oldObj];
    const payload = buildLk01({ namespace: NS.bg, messageName: `${e.prefix}${code}`, entiteittype: e.entiteittype, stuurgegevens: sg, mutatiesoort, objects });
    expectValid(payload);
    expect(names(payload)).toEqual(['stuurgegevens', 'parameters', ...objects.map(() => 'object')]);
    expect(child(child(payload, 'stuurgegevens'), 'berichtcode')?.text).toBe(code);
    expect(names(child(payload, 'parameters'))).toEqual(code === 'Lk01' ? ['mutatiesoort', 'indicatorOvername'] : ['mutatiesoort']);
    for (const o of payload.children.slice(2)) {
      expect(attrValue(o, 'verwerkingssoort', NS.stuf)).toBe(mutatiesoort);
      expect(attrValue(o, 'entiteittype', NS.stuf)).toBe(e.entiteittype);
    }
    if (mutatiesoort === 'W') {
      // old first, new second: the new state carries the nil of the removed telefoonnummer (NPS)
      expect(payload.children[2]).not.toEqual(payload.children[3]);
    }
  });

  it.each([
    ['W with one object', 'W', 1],
    ['T with two objects', 'T', 2],
    ['V without object', 'V', 0],
  ] as const)('refuses %s', (_name, mutatiesoort, count) => {
    const [o] = ENTITIES[0]!.kennisgeving(mutatiesoort);
    expect(() =>
      buildLk01({ namespace: NS.bg, messageName: 'npsLk01', entiteittype: 'NPS', stuurgegevens: sg, mutatiesoort, objects: Array.from({ length: count }, () => o) }),
    ).toThrow(RangeError);
  });

  it('refuses an object without verwerkingssoort', () => {
    expect(() =>
      buildLk01({ namespace: NS.bg, messageName: 'npsLk01', entiteittype: 'NPS', stuurgegevens: sg, mutatiesoort: 'T', objects: [el(NS.bg, 'object', [])] }),
    ).toThrow(RangeError);
  });
});

const Q = { namespace: NS.bg, messageName: 'npsLv01' };
const env11 = (body: string): string => `<soap:Envelope xmlns:soap="${NS.soap11}"><soap:Body>${body}</soap:Body></soap:Envelope>`;
const la01 = (inner: string, attrs = DECLS, prefix = 'BG'): string =>
  `<${prefix}:npsLa01 ${attrs}><${prefix}:stuurgegevens><StUF:berichtcode>La01</StUF:berichtcode><StUF:entiteittype>NPS</StUF:entiteittype></${prefix}:stuurgegevens>` +
  `<${prefix}:parameters><StUF:indicatorVervolgvraag>false</StUF:indicatorVervolgvraag></${prefix}:parameters>${inner}</${prefix}:npsLa01>`;

describe('reading La01 answers leniently', () => {
  it('reads objects, vervolgvraag and stuurgegevens of a standard answer', () => {
    const a = readQuestionAnswer(parseXml(npsLa01(3, true)), Q);
    expect(a.objects).toHaveLength(3);
    expect(a.objects.map((o) => attrValue(o, 'sleutelVerzendend'))).toEqual(['1000', '1001', '1002']);
    expect(a.indicatorVervolgvraag).toBe(true);
    expect(a.stuurgegevens).toMatchObject({ berichtcode: 'La01', crossRefnummer: 'req-0001-aa00001', tijdstipBericht: '20261123101530123', entiteittype: 'NPS' });
  });

  it.each([
    ['no antwoord (not found)', env11(la01('')), 0],
    ['empty antwoord', env11(la01('<BG:antwoord/>')), 0],
    ['empty <object/> and a nil object are ignored', env11(la01(`<BG:antwoord><BG:object/><BG:object xsi:nil="true" StUF:entiteittype="NPS"/>${npsAnswerObject(1)}</BG:antwoord>`)), 1],
    ['an object with only its key is kept', env11(la01('<BG:antwoord><BG:object StUF:sleutelVerzendend="9"/></BG:antwoord>')), 1],
    ['bare payload without envelope', la01(`<BG:antwoord>${npsAnswerObject(1)}</BG:antwoord>`), 1],
    [
      'SOAP 1.2 namespace under prefix soap',
      `<soap:Envelope xmlns:soap="${NS.soap12}"><soap:Body>${la01(`<BG:antwoord>${npsAnswerObject(1)}</BG:antwoord>`)}</soap:Body></soap:Envelope>`,
      1,
    ],
    [
      'default namespace, prefixes re-declared on every element',
      env11(
        `<npsLa01 xmlns="${NS.bg}"><stuurgegevens><berichtcode xmlns="${NS.stuf}">La01</berichtcode></stuurgegevens>` +
          `<parameters><a:indicatorVervolgvraag xmlns:a="${NS.stuf}">false</a:indicatorVervolgvraag></parameters>` +
          `<antwoord><object p6:entiteittype="NPS" p6:sleutelVerzendend="7" xmlns:p6="${NS.stuf}"><inp.bsn>012345672</inp.bsn>` +
          `<sub.url xsi:nil="true" xmlns:xsi="http://www.w3.org/2001/XMLSchemainstance"/></object></antwoord></npsLa01>`,
      ),
      1,
    ],
    ['prefixes stuf / ns1 for StUF and BG', env11(la01(`<ns1:antwoord><ns1:object stuf:sleutelVerzendend="1"><ns1:inp.bsn>1</ns1:inp.bsn></ns1:object></ns1:antwoord>`, `xmlns:ns1="${NS.bg}" xmlns:StUF="${NS.stuf}" xmlns:stuf="${NS.stuf}"`, 'ns1')), 1],
  ])('%s', (_name, xml, count) => {
    const a = readQuestionAnswer(parseXml(xml), Q);
    expect(a.objects).toHaveLength(count);
    expect(a.indicatorVervolgvraag).toBe(false);
    for (const o of a.objects) expect([o.ns, o.name]).toEqual([NS.bg, 'object']);
  });

  it.each([
    [' true ', true],
    ['\n\tTRUE\n', true],
    ['1', true],
    ['false', false],
    ['', false],
  ])('reads indicatorVervolgvraag %j as %s', (raw, expected) => {
    const xml = `<BG:npsLa01 ${DECLS}><BG:parameters><StUF:indicatorVervolgvraag>${raw}</StUF:indicatorVervolgvraag></BG:parameters></BG:npsLa01>`;
    expect(parseLa01(parseXml(xml)).indicatorVervolgvraag).toBe(expected);
  });

  it('reads stuurgegevens with missing fields, empty organisatie and short timestamps', () => {
    const xml = env11(
      `<BG:npsLa01 ${DECLS}><BG:stuurgegevens><StUF:berichtcode>La01</StUF:berichtcode>` +
        `<StUF:zender><StUF:organisatie/><StUF:applicatie>BRP</StUF:applicatie></StUF:zender>` +
        `<StUF:tijdstipBericht>2026112310153012</StUF:tijdstipBericht></BG:stuurgegevens><BG:parameters/></BG:npsLa01>`,
    );
    const a = readQuestionAnswer(parseXml(xml), Q);
    expect(a.stuurgegevens).toEqual({ berichtcode: 'La01', zender: { applicatie: 'BRP' }, tijdstipBericht: '20261123101530120' });
    expect(a.objects).toEqual([]);
    expect(a.indicatorVervolgvraag).toBe(false);
  });

  it.each([
    ['La01 in the wrong namespace', env11(la01('', `xmlns:BG="${NS.zkn}" xmlns:StUF="${NS.stuf}"`)), 'wrong_namespace'],
    ['the La01 of another entity', env11(`<BG:nnpLa01 ${DECLS}/>`), 'unexpected_answer'],
    ['a Bv03 to a question', env11(`<StUF:Bv03Bericht xmlns:StUF="${NS.stuf}"/>`), 'unexpected_answer'],
    ['objects in the wrong namespace', env11(la01(`<BG:antwoord><x:object xmlns:x="${NS.zkn}"/></BG:antwoord>`)), 'wrong_namespace'],
    ['something else than object in antwoord', env11(la01('<BG:antwoord><BG:persoon/></BG:antwoord>')), 'unexpected_answer'],
    ['a non-boolean indicatorVervolgvraag', env11(`<BG:npsLa01 ${DECLS}><BG:parameters><StUF:indicatorVervolgvraag>maybe</StUF:indicatorVervolgvraag></BG:parameters></BG:npsLa01>`), 'unexpected_answer'],
    ['an empty Body', env11(''), 'unexpected_answer'],
  ])('rejects %s with StufProtocolError', (_name, xml, reason) => {
    let err: unknown;
    try {
      readQuestionAnswer(parseXml(xml), Q);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StufProtocolError);
    expect((err as StufProtocolError).reason).toBe(reason);
  });
});

const fo = (code: 'Fo01' | 'Fo02' | 'Fo03', prefix = 'StUF'): string =>
  `<${prefix}:${code}Bericht xmlns:${prefix}="${NS.stuf}"><${prefix}:stuurgegevens><${prefix}:berichtcode>${code}</${prefix}:berichtcode></${prefix}:stuurgegevens>` +
  `<${prefix}:body><${prefix}:code>StUF058</${prefix}:code><${prefix}:plek>server</${prefix}:plek>` +
  `<${prefix}:omschrijving>Object niet gevonden</${prefix}:omschrijving><${prefix}:details>sleutel 4711</${prefix}:details>` +
  `<${prefix}:detailsXML><x xmlns="urn:x">raw</x></${prefix}:detailsXML></${prefix}:body></${prefix}:${code}Bericht>`;
const soapFault = (code: string, detail: string, ns: string = NS.soap11): string =>
  `<s:Envelope xmlns:s="${ns}"><s:Body><s:Fault><faultcode>${code}</faultcode><faultstring>StUF fout</faultstring>` +
  `${detail ? `<detail>${detail}</detail>` : ''}</s:Fault></s:Body></s:Envelope>`;

describe('faults → StufFault', () => {
  it('our Fo samples are valid StUF (so the cases below are realistic)', () => {
    for (const code of ['Fo02', 'Fo03'] as const) {
      const v = validator.validate(soapFault('soap:Server', fo(code)));
      // Fo03 requires full stuurgegevens; Fo02 holds only berichtcode.
      if (code === 'Fo02') expect(v.errors).toEqual([]);
      expect(v.element).toBe(`${code}Bericht`);
    }
  });

  it.each([
    ['Fo02 in soap:Fault/detail', soapFault('soap:Server', fo('Fo02')), 'Fo02', 'Server'],
    ['Fo03 answering an Lv01', soapFault('soap:Server', fo('Fo03')), 'Fo03', 'Server'],
    ['Fo01 with lower-case faultcode and another prefix', soapFault('soapenv:client', fo('Fo01', 'stuf')), 'Fo01', 'client'],
    ['Fo02 directly in soap:Body', env11(fo('Fo02')), 'Fo02', undefined],
    ['Fo02 as bare payload', fo('Fo02'), 'Fo02', undefined],
    [
      'Fo02 in a SOAP 1.2 Detail',
      `<e:Envelope xmlns:e="${NS.soap12}"><e:Body><e:Fault><e:Code><e:Value>e:Receiver</e:Value></e:Code><e:Reason><e:Text>x</e:Text></e:Reason><e:Detail>${fo('Fo02')}</e:Detail></e:Fault></e:Body></e:Envelope>`,
      'Fo02',
      'Receiver',
    ],
  ])('%s', (_name, xml, berichtcode, soapFaultCode) => {
    let err: unknown;
    try {
      readQuestionAnswer(parseXml(xml), Q);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StufFault);
    const f = err as StufFault;
    expect({ berichtcode: f.berichtcode, foutcode: f.foutcode, plek: f.plek, omschrijving: f.omschrijving, details: f.details, source: f.source }).toEqual({
      berichtcode,
      foutcode: 'StUF058',
      plek: 'server',
      omschrijving: 'Object niet gevonden',
      details: 'sleutel 4711',
      source: 'stuf',
    });
    expect(f.soapFaultCode).toBe(soapFaultCode);
    expect(f.gatewayStatus).toBe(502);
    expect(f.detail).toContain('StUF058');
    expect(f.detail).not.toContain('<');
  });

  it.each([
    ['plain SOAP 1.1 fault from a gateway', soapFault('soap:Server', ''), 'server', 'Server'],
    ['lower-case client fault', soapFault('client', ''), 'client', 'client'],
    ['fault whose detail is not StUF', soapFault('Server.userException', '<e:Trace xmlns:e="urn:e">stack</e:Trace>'), 'server', 'Server.userException'],
    [
      'plain SOAP 1.2 fault with subcode',
      `<e:Envelope xmlns:e="${NS.soap12}"><e:Body><e:Fault><e:Code><e:Value>e:Sender</e:Value><e:Subcode><e:Value>x:Bad</e:Value></e:Subcode></e:Code><e:Reason><e:Text>StUF fout</e:Text></e:Reason></e:Fault></e:Body></e:Envelope>`,
      'client',
      'Sender/Bad',
    ],
  ])('%s', (_name, xml, plek, code) => {
    let err: unknown;
    try {
      readKennisgevingAnswer(parseXml(xml));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StufFault);
    const f = err as StufFault;
    expect(f.source).toBe('soap');
    expect(f.berichtcode).toBe('');
    expect(f.plek).toBe(plek);
    expect(f.soapFaultCode).toBe(code);
    expect(f.omschrijving).toBe('StUF fout');
  });
});

describe('Bv0x confirmations', () => {
  const bv = (code: string, extra = ''): string =>
    env11(`<StUF:${code}Bericht xmlns:StUF="${NS.stuf}"><StUF:stuurgegevens><StUF:berichtcode>${code}</StUF:berichtcode>${extra}</StUF:stuurgegevens></StUF:${code}Bericht>`);

  it.each(['Bv01', 'Bv02', 'Bv03'])('reads %s', (code) => {
    expect(readKennisgevingAnswer(parseXml(bv(code, '<StUF:crossRefnummer>r-1</StUF:crossRefnummer>'))).berichtcode).toBe(code);
  });

  it('takes the berichtcode from the element name when stuurgegevens lack it', () => {
    expect(readKennisgevingAnswer(parseXml(env11(`<a:Bv03Bericht xmlns:a="${NS.stuf}"/>`))).berichtcode).toBe('Bv03');
  });

  it('rejects a Bv03 outside the StUF namespace and an La01 to a kennisgeving', () => {
    expect(() => readKennisgevingAnswer(parseXml(env11(`<a:Bv03Bericht xmlns:a="${NS.bg}"/>`)))).toThrow(StufProtocolError);
    expect(() => readKennisgevingAnswer(parseXml(npsLa01(1)))).toThrow(StufProtocolError);
  });

  it('a real Bv03 we could receive validates (sample sanity)', () => {
    const xml = bv(
      'Bv03',
      '<StUF:zender><StUF:applicatie>BRP</StUF:applicatie></StUF:zender><StUF:ontvanger><StUF:applicatie>klantbrug</StUF:applicatie></StUF:ontvanger>' +
        '<StUF:referentienummer>b-1</StUF:referentienummer><StUF:tijdstipBericht>20261123101530</StUF:tijdstipBericht><StUF:crossRefnummer>r-1</StUF:crossRefnummer>',
    );
    expect(validator.validate(xml).errors).toEqual([]);
    const answer = readKennisgevingAnswer(parseXml(xml));
    expect(answer.stuurgegevens.tijdstipBericht).toBe('20261123101530000');
  });
});

describe('entity nodes are placed, not rewritten', () => {
  it('keeps the mapping’s attributes and adds entiteittype only when missing', () => {
    const gelijk = el(NS.bg, 'whatever', [textEl(NS.bg, 'inp.bsn', '1')], [attr(NS.stuf, 'sleutelOntvangend', 'k')]);
    const p = buildLv01({ namespace: NS.bg, messageName: 'npsLv01', entiteittype: 'NPS', stuurgegevens: sg, sortering: 0, indicatorVervolgvraag: false, gelijk, scope: gelijk });
    const g = child(p, 'gelijk')!;
    expect(g.attrs).toEqual([attr(NS.stuf, 'entiteittype', 'NPS'), attr(NS.stuf, 'sleutelOntvangend', 'k')]);
    expect(g.children).toBe(gelijk.children);
  });
});
