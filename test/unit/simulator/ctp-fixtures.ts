// Hand-built StUF-ZKN 03.10 contactpersoon messages for the simulator tests (independent of the
// gateway's StUF builder and mapping), in the layout of docs/stuf-zkn-ctp-dialect.md.
import { NS } from '../../../src/stuf/xml-node.ts';
import { envelope, extra } from './stuf-fixtures.ts';

const DECLS = `xmlns:StUF="${NS.stuf}" xmlns:ZKN="${NS.zkn}" xmlns:BG="${NS.bg}" xmlns:xsi="${NS.xsi}"`;
let ref = 0;

function stuurgegevens(berichtcode: string): string {
  return (
    `<ZKN:stuurgegevens><StUF:berichtcode>${berichtcode}</StUF:berichtcode>` +
    '<StUF:zender><StUF:organisatie>Gemeente Test</StUF:organisatie><StUF:applicatie>klantbrug-test</StUF:applicatie></StUF:zender>' +
    '<StUF:ontvanger><StUF:applicatie>zaaksysteem</StUF:applicatie></StUF:ontvanger>' +
    `<StUF:referentienummer>CTP-${++ref}</StUF:referentienummer><StUF:tijdstipBericht>20260101120000000</StUF:tijdstipBericht>` +
    '<StUF:entiteittype>CTP</StUF:entiteittype></ZKN:stuurgegevens>'
  );
}

export interface CtpQuestion {
  gelijk?: string;
  key?: string;
  scope?: string;
  scopeAttr?: string;
  maximumAantal?: number;
  startKey?: string;
}

export function ctpLv01(o: CtpQuestion = {}): string {
  const keyAttr = o.key ? ` StUF:sleutelOntvangend="${o.key}"` : '';
  const gelijk = o.gelijk !== undefined || o.key ? `<ZKN:gelijk StUF:entiteittype="CTP"${keyAttr}>${o.gelijk ?? ''}</ZKN:gelijk>` : '';
  const scopeAttr = o.scopeAttr ? ` StUF:scope="${o.scopeAttr}"` : '';
  const scope = o.scope !== undefined || o.scopeAttr ? `<ZKN:scope><ZKN:object StUF:entiteittype="CTP"${scopeAttr}>${o.scope ?? ''}</ZKN:object></ZKN:scope>` : '';
  const start = o.startKey ? `<ZKN:start><ZKN:object StUF:entiteittype="CTP" StUF:sleutelVerzendend="${o.startKey}"/></ZKN:start>` : '';
  const params =
    `<ZKN:parameters><StUF:sortering>1</StUF:sortering><StUF:indicatorVervolgvraag>${o.startKey ? 'true' : 'false'}</StUF:indicatorVervolgvraag>` +
    (o.maximumAantal !== undefined ? `<StUF:maximumAantal>${o.maximumAantal}</StUF:maximumAantal>` : '') +
    '</ZKN:parameters>';
  return envelope(`<ZKN:ctpLv01 ${DECLS}>${stuurgegevens('Lv01')}${params}${gelijk}${scope}${start}</ZKN:ctpLv01>`);
}

export function ctpLk01(soort: 'T' | 'W' | 'V', objects: { verwerkingssoort: string; key?: string; inner: string }[]): string {
  const params = `<ZKN:parameters><StUF:mutatiesoort>${soort}</StUF:mutatiesoort><StUF:indicatorOvername>V</StUF:indicatorOvername></ZKN:parameters>`;
  const objs = objects
    .map((o) => `<ZKN:object StUF:entiteittype="CTP" StUF:verwerkingssoort="${o.verwerkingssoort}"${o.key ? ` StUF:sleutelOntvangend="${o.key}"` : ''}>${o.inner}</ZKN:object>`)
    .join('');
  return envelope(`<ZKN:ctpLk01 ${DECLS}>${stuurgegevens('Lk01')}${params}${objs}</ZKN:ctpLk01>`);
}

/** A contactpersoon for a natuurlijk persoon (BSN given) or only the kind of its subject (no BSN). */
export function ctpForPerson(naam: string, klantnummer: string, bsn?: string, soort = 'T'): string {
  const person = bsn
    ? `<BG:natuurlijkPersoon StUF:entiteittype="NPS" StUF:verwerkingssoort="I"><BG:inp.bsn>${bsn}</BG:inp.bsn><BG:authentiek StUF:metagegeven="true">N</BG:authentiek><BG:geslachtsnaam>${naam}</BG:geslachtsnaam></BG:natuurlijkPersoon>`
    : '<BG:natuurlijkPersoon StUF:entiteittype="NPS" StUF:verwerkingssoort="I"/>';
  return (
    `<ZKN:naam>${naam}</ZKN:naam><ZKN:telefoonnummer>0201234567</ZKN:telefoonnummer>` +
    extra({ bronorganisatie: '002220647', klantnummer }) +
    `<ZKN:isAanspreekpuntNamens StUF:entiteittype="CTPSUB" StUF:verwerkingssoort="${soort}"><ZKN:gerelateerde>${person}</ZKN:gerelateerde></ZKN:isAanspreekpuntNamens>`
  );
}

export function ctpPost(url: string, xml: string): Promise<{ status: number; body: string }> {
  const element = /<ZKN:(ctp\w+)\s/.exec(xml)?.[1] ?? '';
  return fetch(url, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${NS.zkn}/${element}"` }, body: xml }).then(async (r) => ({
    status: r.status,
    body: await r.text(),
  }));
}
