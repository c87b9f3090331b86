// Entity content as the mapping would build it, for NPS, NNP and VES: selection (gelijk), scope,
// start (an antwoord object) and kennisgeving objects, with nil+noValue and extraElementen.
import { NS, attr, el, textEl, type XmlNode } from '../../../src/stuf/xml-node.ts';
import type { StuurgegevensInput } from '../../../src/stuf/stuurgegevens.ts';

export const sg: StuurgegevensInput = {
  zender: { organisatie: 'Gemeente Voorbeeld', applicatie: 'klantbrug', gebruiker: 'gateway' },
  ontvanger: { organisatie: '', applicatie: 'BRP-koppeling', administratie: 'klanten' },
  referentienummer: 'req-0001-aa00001',
  tijdstipBericht: '20261123101530123',
};

const bg = (name: string, value: string): XmlNode => textEl(NS.bg, name, value);
/** Empty value: xsi:nil + StUF:noValue (also how a scope asks for an element). */
export const nil = (name: string, ns: string = NS.bg): XmlNode =>
  el(ns, name, [], [attr(NS.xsi, 'nil', 'true'), attr(NS.stuf, 'noValue', 'geenWaarde')]);

export function extra(values: Record<string, string | null>): XmlNode {
  return el(
    NS.stuf,
    'extraElementen',
    Object.entries(values).map(([naam, v]) =>
      v === null
        ? el(NS.stuf, 'extraElement', [], [attr('', 'naam', naam), attr(NS.xsi, 'nil', 'true'), attr(NS.stuf, 'noValue', 'geenWaarde')])
        : el(NS.stuf, 'extraElement', [], [attr('', 'naam', naam)], v),
    ),
  );
}

const obj = (children: XmlNode[], attrs = [] as ReturnType<typeof attr>[]): XmlNode => el(NS.bg, 'object', children, attrs);
const scopeExtra = extra({ klantnummer: null, bronorganisatie: null, 'adres.straatnaam': null });

export interface EntityFixture {
  entiteittype: 'NPS' | 'NNP' | 'VES';
  prefix: 'nps' | 'nnp' | 'ves';
  gelijk: XmlNode;
  scope: XmlNode;
  start: XmlNode;
  /** [old, new] for W; old alone is used for T and V. */
  kennisgeving: (verwerkingssoort: string) => [XmlNode, XmlNode];
}

export const ENTITIES: EntityFixture[] = [
  {
    entiteittype: 'NPS',
    prefix: 'nps',
    gelijk: obj([bg('inp.bsn', '012345672'), extra({ klantnummer: 'K-1' })]),
    scope: obj([nil('inp.bsn'), nil('geslachtsnaam'), nil('voornamen'), nil('sub.telefoonnummer'), nil('sub.emailadres'), nil('sub.url'), scopeExtra]),
    start: obj([bg('inp.bsn', '012345672'), bg('geslachtsnaam', 'Jansen & Zn <test>')], [attr(NS.stuf, 'sleutelVerzendend', '4711')]),
    kennisgeving: (v) => [
      obj([bg('inp.bsn', '012345672'), bg('sub.telefoonnummer', '0201234567'), nil('sub.emailadres')], [attr(NS.stuf, 'sleutelOntvangend', '4711'), attr(NS.stuf, 'verwerkingssoort', v)]),
      obj(
        [bg('inp.bsn', '012345672'), nil('sub.telefoonnummer'), bg('sub.emailadres', 'jan@example.nl'), extra({ klantnummer: 'K-1', 'adres.straatnaam': "Dam 'oost' \"1\"", functie: null })],
        [attr(NS.stuf, 'sleutelOntvangend', '4711'), attr(NS.stuf, 'verwerkingssoort', v)],
      ),
    ],
  },
  {
    entiteittype: 'NNP',
    prefix: 'nnp',
    gelijk: obj([bg('inn.nnpId', '123456789')]),
    scope: obj([nil('inn.nnpId'), nil('statutaireNaam'), nil('sub.telefoonnummer'), nil('sub.emailadres'), scopeExtra]),
    start: obj([bg('inn.nnpId', '123456789'), bg('statutaireNaam', 'Voorbeeld B.V.')], [attr(NS.stuf, 'sleutelVerzendend', 'N-1')]),
    kennisgeving: (v) => [
      obj([bg('inn.nnpId', '123456789'), bg('statutaireNaam', 'Voorbeeld B.V.')], [attr(NS.stuf, 'sleutelOntvangend', 'N-1'), attr(NS.stuf, 'verwerkingssoort', v)]),
      obj(
        [bg('inn.nnpId', '123456789'), bg('statutaireNaam', 'Voorbeeld B.V.'), bg('sub.telefoonnummer', '+31201234567'), extra({ bedrijfsnaam: 'Voorbeeld' })],
        [attr(NS.stuf, 'sleutelOntvangend', 'N-1'), attr(NS.stuf, 'verwerkingssoort', v)],
      ),
    ],
  },
  {
    entiteittype: 'VES',
    prefix: 'ves',
    gelijk: obj([bg('vestigingsNummer', '000012345678')]),
    scope: obj([nil('vestigingsNummer'), nil('handelsnaam'), nil('sub.telefoonnummer'), nil('sub.url'), scopeExtra]),
    start: obj([bg('vestigingsNummer', '000012345678'), bg('handelsnaam', 'Bakkerij')], [attr(NS.stuf, 'sleutelVerzendend', 'V-1')]),
    kennisgeving: (v) => [
      obj([bg('vestigingsNummer', '000012345678'), bg('handelsnaam', 'Bakkerij')], [attr(NS.stuf, 'sleutelOntvangend', 'V-1'), attr(NS.stuf, 'verwerkingssoort', v)]),
      obj(
        [bg('vestigingsNummer', '000012345678'), bg('handelsnaam', 'Bakkerij de Bol'), nil('sub.url'), extra({ klantnummer: 'K-9' })],
        [attr(NS.stuf, 'sleutelOntvangend', 'V-1'), attr(NS.stuf, 'verwerkingssoort', v)],
      ),
    ],
  },
];

/** An La01 object as a backend would answer it (prefix and whitespace choices are the caller's). */
export function npsAnswerObject(i: number): string {
  return (
    `<BG:object StUF:entiteittype="NPS" StUF:sleutelVerzendend="${1000 + i}">` +
    `<BG:inp.bsn>${String(100000000 + i)}</BG:inp.bsn><BG:geslachtsnaam>Jansen &amp; Zn</BG:geslachtsnaam>` +
    `<BG:voorvoegselGeslachtsnaam>van</BG:voorvoegselGeslachtsnaam><BG:voorletters>J</BG:voorletters>` +
    `<BG:voornamen>Jan Piet</BG:voornamen><BG:geslachtsaanduiding>M</BG:geslachtsaanduiding>` +
    `<BG:geboortedatum StUF:indOnvolledigeDatum="V">19800101</BG:geboortedatum>` +
    `<BG:verblijfsadres><BG:aoa.identificatie>0363200000123456</BG:aoa.identificatie>` +
    `<BG:wpl.woonplaatsNaam>Amsterdam</BG:wpl.woonplaatsNaam><BG:gor.straatnaam>Kalverstraat</BG:gor.straatnaam>` +
    `<BG:aoa.postcode>1012AB</BG:aoa.postcode><BG:aoa.huisnummer>12</BG:aoa.huisnummer>` +
    `<BG:aoa.huisletter xsi:nil="true" StUF:noValue="geenWaarde"/></BG:verblijfsadres>` +
    `<BG:sub.telefoonnummer>0201234567</BG:sub.telefoonnummer><BG:sub.emailadres>jan${i}@example.nl</BG:sub.emailadres>` +
    `<BG:sub.url xsi:nil="true" StUF:noValue="geenWaarde"/>` +
    `<StUF:extraElementen><StUF:extraElement naam="klantnummer">K${i}</StUF:extraElement>` +
    `<StUF:extraElement naam="bronorganisatie">123456782</StUF:extraElement>` +
    `<StUF:extraElement naam="adres.straatnaam">Damrak</StUF:extraElement></StUF:extraElementen></BG:object>`
  );
}

export const DECLS =
  'xmlns:BG="http://www.egem.nl/StUF/sector/bg/0310" xmlns:StUF="http://www.egem.nl/StUF/StUF0301" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';

/** A SOAP 1.1 npsLa01 answer with n objects. */
export function npsLa01(n: number, vervolg = false): string {
  const objects = Array.from({ length: n }, (_, i) => npsAnswerObject(i)).join('\n');
  return (
    `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>` +
    `<BG:npsLa01 ${DECLS}><BG:stuurgegevens><StUF:berichtcode>La01</StUF:berichtcode>` +
    `<StUF:zender><StUF:applicatie>BRP-koppeling</StUF:applicatie></StUF:zender>` +
    `<StUF:ontvanger><StUF:applicatie>klantbrug</StUF:applicatie></StUF:ontvanger>` +
    `<StUF:referentienummer>B-1</StUF:referentienummer><StUF:tijdstipBericht>20261123101530123</StUF:tijdstipBericht>` +
    `<StUF:crossRefnummer>req-0001-aa00001</StUF:crossRefnummer><StUF:entiteittype>NPS</StUF:entiteittype></BG:stuurgegevens>` +
    `<BG:parameters><StUF:indicatorVervolgvraag>${vervolg}</StUF:indicatorVervolgvraag></BG:parameters>` +
    (n > 0 ? `<BG:antwoord>${objects}</BG:antwoord>` : '') +
    `</BG:npsLa01></soap:Body></soap:Envelope>`
  );
}
