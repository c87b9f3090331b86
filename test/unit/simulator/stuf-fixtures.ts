// Hand-built StUF-BG messages for the simulator tests (independent of the gateway's StUF builder).
import { NS } from '../../../src/stuf/xml-node.ts';

export type Entity = 'NPS' | 'NNP' | 'VES';

const DECLS = `xmlns:StUF="${NS.stuf}" xmlns:BG="${NS.bg}" xmlns:xsi="${NS.xsi}"`;
const ZENDER = '<StUF:zender><StUF:organisatie>Gemeente Test</StUF:organisatie><StUF:applicatie>klantbrug-test</StUF:applicatie></StUF:zender>';
const ONTVANGER = '<StUF:ontvanger><StUF:organisatie>Gemeente Simulatie</StUF:organisatie><StUF:applicatie>StUF-BG simulator</StUF:applicatie></StUF:ontvanger>';

let ref = 0;

export function envelope(payload: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<soap:Envelope xmlns:soap="${NS.soap11}">\n  <soap:Body>\n    ${payload}\n  </soap:Body>\n</soap:Envelope>`;
}

function stuurgegevens(berichtcode: string, entity: Entity): string {
  return (
    `<BG:stuurgegevens><StUF:berichtcode>${berichtcode}</StUF:berichtcode>${ZENDER}${ONTVANGER}` +
    `<StUF:referentienummer>TEST-${++ref}</StUF:referentienummer><StUF:tijdstipBericht>20260101120000000</StUF:tijdstipBericht>` +
    `<StUF:entiteittype>${entity}</StUF:entiteittype></BG:stuurgegevens>`
  );
}

export interface QuestionOptions {
  /** Inner XML of the gelijk object. */
  gelijk?: string;
  /** The simulator's key, as StUF:sleutelOntvangend on gelijk. */
  key?: string;
  /** Inner XML of the scope object, or a StUF:scope value ('alles', 'kerngegevens'). */
  scope?: string;
  scopeAttr?: string;
  maximumAantal?: number;
  indicatorAantal?: boolean;
  /** Attributes + inner XML of the start object (follow-up question). */
  start?: { key?: string; inner?: string };
}

export function lv01(entity: Entity, o: QuestionOptions = {}): string {
  const p = entity.toLowerCase();
  const keyAttr = o.key ? ` StUF:sleutelOntvangend="${o.key}"` : '';
  const gelijk = o.gelijk !== undefined || o.key ? `<BG:gelijk StUF:entiteittype="${entity}"${keyAttr}>${o.gelijk ?? ''}</BG:gelijk>` : '';
  const scopeAttr = o.scopeAttr ? ` StUF:scope="${o.scopeAttr}"` : '';
  const scope = o.scope !== undefined || o.scopeAttr ? `<BG:scope><BG:object StUF:entiteittype="${entity}"${scopeAttr}>${o.scope ?? ''}</BG:object></BG:scope>` : '';
  const start = o.start
    ? `<BG:start><BG:object StUF:entiteittype="${entity}"${o.start.key ? ` StUF:sleutelVerzendend="${o.start.key}"` : ''}>${o.start.inner ?? ''}</BG:object></BG:start>`
    : '';
  const params =
    `<BG:parameters><StUF:sortering>0</StUF:sortering><StUF:indicatorVervolgvraag>${o.start ? 'true' : 'false'}</StUF:indicatorVervolgvraag>` +
    (o.maximumAantal !== undefined ? `<StUF:maximumAantal>${o.maximumAantal}</StUF:maximumAantal>` : '') +
    (o.indicatorAantal ? '<StUF:indicatorAantal>true</StUF:indicatorAantal>' : '') +
    '</BG:parameters>';
  return envelope(`<BG:${p}Lv01 ${DECLS}>${stuurgegevens('Lv01', entity)}${params}${gelijk}${scope}${start}</BG:${p}Lv01>`);
}

/** A kennisgeving; objects are [verwerkingssoort, key?, inner XML]. */
export function lk(entity: Entity, soort: 'T' | 'W' | 'V' | 'C', objects: { verwerkingssoort: string; key?: string; inner: string }[], kind: 'Lk01' | 'Lk02' = 'Lk01'): string {
  const p = entity.toLowerCase();
  const params = `<BG:parameters><StUF:mutatiesoort>${soort}</StUF:mutatiesoort>${kind === 'Lk01' ? '<StUF:indicatorOvername>V</StUF:indicatorOvername>' : ''}</BG:parameters>`;
  const objs = objects
    .map(
      (o) =>
        `<BG:object StUF:entiteittype="${entity}" StUF:verwerkingssoort="${o.verwerkingssoort}"${o.key ? ` StUF:sleutelOntvangend="${o.key}"` : ''}>${o.inner}</BG:object>`,
    )
    .join('');
  return envelope(`<BG:${p}${kind} ${DECLS}>${stuurgegevens(kind, entity)}${params}${objs}</BG:${p}${kind}>`);
}

export function extra(values: Record<string, string | null>): string {
  const items = Object.entries(values)
    .map(([naam, v]) =>
      v === null ? `<StUF:extraElement naam="${naam}" xsi:nil="true" StUF:noValue="geenWaarde"/>` : `<StUF:extraElement naam="${naam}">${v}</StUF:extraElement>`,
    )
    .join('');
  return `<StUF:extraElementen>${items}</StUF:extraElementen>`;
}

export function soapAction(element: string): string {
  return `${NS.bg}/${element}`;
}

export interface Posted {
  status: number;
  body: string;
  contentType: string | null;
}

export async function post(url: string, xml: string, action?: string): Promise<Posted> {
  const element = /<BG:(\w+)\s/.exec(xml)?.[1];
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${action ?? (element ? soapAction(element) : '')}"` },
    body: xml,
  });
  return { status: res.status, body: await res.text(), contentType: res.headers.get('content-type') };
}

/** Keys (sleutelVerzendend) of the objects in a La01, in answer order. */
export function keysOf(la01: string): string[] {
  return [...la01.matchAll(/StUF:sleutelVerzendend="([^"]+)"/g)].map((m) => m[1] ?? '');
}

export function textOf(xml: string, element: string): string | undefined {
  return new RegExp(`<(?:\\w+:)?${element.replace('.', '\\.')}(?:\\s[^>]*)?>([^<]*)<`).exec(xml)?.[1];
}
