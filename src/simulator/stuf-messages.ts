// Builds the simulator's answers as exact StUF XML in a SOAP 1.1 envelope: La01, Bv02/Bv03 and
// Fo02/Fo03 (inside soap:Fault/detail). Written as strings: the answer is fully under our
// control and costs a few string concatenations per message.
import { NS, type XmlNode } from '../stuf/xml-node.ts';
import type { StufFout } from './fout.ts';
import { isEntityCode, sectorOf } from './sectors.ts';
import { escapeAttr, escapeText, PREFIX, STUF_BG_DECLS, toXml } from './xml.ts';

/** Prefix and xmlns declarations of a payload in sector namespace `ns` (ZKN payloads hold BG subjects too). */
function sectorXml(ns: string): { p: string; decls: string } {
  if (ns === NS.bg) return { p: 'BG', decls: STUF_BG_DECLS };
  return { p: PREFIX[ns] ?? 'ZKN', decls: `${STUF_BG_DECLS} xmlns:${PREFIX[ns] ?? 'ZKN'}="${ns}"` };
}

/** What the answer needs from the incoming stuurgegevens (any of it may be missing). */
export interface RequestHeader {
  zender?: XmlNode;
  ontvanger?: XmlNode;
  referentienummer?: string;
}

/** The simulator's own system, used when the question does not name it as ontvanger. */
export interface SystemIdentity {
  organisatie: string;
  applicatie: string;
}

export interface AnswerContext {
  identity: SystemIdentity;
  /** A fresh referentienummer for every answer. */
  nextReferentie(): string;
  now(): Date;
}

const ENVELOPE_OPEN = `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="${NS.soap11}"><soap:Body>`;
const ENVELOPE_CLOSE = '</soap:Body></soap:Envelope>';

/** YYYYMMDDhhmmssmmm (StUF:Tijdstip, 17 digits). */
export function tijdstip(d: Date): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}${p(d.getUTCMilliseconds(), 3)}`;
}

function systeem(name: 'zender' | 'ontvanger', from: XmlNode | undefined, fallback: SystemIdentity): string {
  if (from && from.children.length > 0) return toXml({ ...from, ns: NS.stuf, name, attrs: [] });
  return `<StUF:${name}><StUF:organisatie>${escapeText(fallback.organisatie)}</StUF:organisatie><StUF:applicatie>${escapeText(fallback.applicatie)}</StUF:applicatie></StUF:${name}>`;
}

const UNKNOWN_PARTNER: SystemIdentity = { organisatie: 'onbekend', applicatie: 'onbekend' };

/** zender .. crossRefnummer of an answer: we answer as the question's ontvanger, to its zender. */
function routing(hdr: RequestHeader | undefined, ctx: AnswerContext): string {
  const cross = hdr?.referentienummer?.trim() || 'onbekend';
  return (
    systeem('zender', hdr?.ontvanger, ctx.identity) +
    systeem('ontvanger', hdr?.zender, UNKNOWN_PARTNER) +
    `<StUF:referentienummer>${escapeText(ctx.nextReferentie())}</StUF:referentienummer>` +
    `<StUF:tijdstipBericht>${tijdstip(ctx.now())}</StUF:tijdstipBericht>` +
    `<StUF:crossRefnummer>${escapeText(cross)}</StUF:crossRefnummer>`
  );
}

/** An object as answered (BG:object, ZKN:object): entiteittype and the simulator's key as sleutelVerzendend. */
export function objectXml(entity: string, key: string, children: readonly XmlNode[], declareNamespaces = false): string {
  const { p, decls } = sectorXml(isEntityCode(entity) ? sectorOf(entity).namespace : NS.bg);
  return `<${p}:object${declareNamespaces ? decls : ''} StUF:entiteittype="${entity}" StUF:sleutelVerzendend="${escapeAttr(key)}">${children.map(toXml).join('')}</${p}:object>`;
}

export interface La01Content {
  /** Serialized BG:object elements, in answer order. */
  objects: string[];
  indicatorVervolgvraag: boolean;
  /** Total number of matches, when the question asked for it (indicatorAantal). */
  aantalVoorkomens?: number;
}

/** The La01 answer in sector namespace `ns` (default StUF-BG). */
export function la01(prefix: string, entiteittype: string, hdr: RequestHeader, ctx: AnswerContext, c: La01Content, ns: string = NS.bg): string {
  const { p, decls } = sectorXml(ns);
  const name = `${p}:${prefix}La01`;
  const aantal = c.aantalVoorkomens === undefined ? '' : `<StUF:aantalVoorkomens>${c.aantalVoorkomens}</StUF:aantalVoorkomens>`;
  const antwoord = c.objects.length > 0 ? `<${p}:antwoord>${c.objects.join('')}</${p}:antwoord>` : '';
  return (
    ENVELOPE_OPEN +
    `<${name}${decls}>` +
    `<${p}:stuurgegevens><StUF:berichtcode>La01</StUF:berichtcode>${routing(hdr, ctx)}<StUF:entiteittype>${entiteittype}</StUF:entiteittype></${p}:stuurgegevens>` +
    `<${p}:parameters><StUF:indicatorVervolgvraag>${c.indicatorVervolgvraag}</StUF:indicatorVervolgvraag>${aantal}</${p}:parameters>` +
    antwoord +
    `</${name}>` +
    ENVELOPE_CLOSE
  );
}

/** Bv03 answers an Lk01 (full stuurgegevens), Bv02 an Lk02 (berichtcode only). */
export function bevestiging(kind: 'Bv02' | 'Bv03', hdr: RequestHeader, ctx: AnswerContext): string {
  const stuurgegevens = kind === 'Bv03' ? `<StUF:berichtcode>Bv03</StUF:berichtcode>${routing(hdr, ctx)}` : '<StUF:berichtcode>Bv02</StUF:berichtcode>';
  return `${ENVELOPE_OPEN}<StUF:${kind}Bericht xmlns:StUF="${NS.stuf}"><StUF:stuurgegevens>${stuurgegevens}</StUF:stuurgegevens></StUF:${kind}Bericht>${ENVELOPE_CLOSE}`;
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** Fo02 (questions, Lk02) or Fo03 (Lk01) in a SOAP 1.1 Fault, as StUF's protocol binding prescribes. */
export function foutbericht(kind: 'Fo02' | 'Fo03', fout: StufFout, hdr: RequestHeader | undefined, ctx: AnswerContext): string {
  const stuurgegevens = kind === 'Fo03' ? `<StUF:berichtcode>Fo03</StUF:berichtcode>${routing(hdr, ctx)}` : '<StUF:berichtcode>Fo02</StUF:berichtcode>';
  const details = fout.details ? `<StUF:details>${escapeText(clip(fout.details, 1000))}</StUF:details>` : '';
  const body =
    `<StUF:code>${escapeText(fout.code)}</StUF:code><StUF:plek>${fout.plek}</StUF:plek>` +
    `<StUF:omschrijving>${escapeText(clip(fout.message, 200))}</StUF:omschrijving>${details}`;
  const faultcode = fout.plek === 'client' ? 'soap:Client' : 'soap:Server';
  return (
    ENVELOPE_OPEN +
    `<soap:Fault><faultcode>${faultcode}</faultcode><faultstring>${escapeText(`${fout.code}: ${fout.message}`)}</faultstring><detail>` +
    `<StUF:${kind}Bericht xmlns:StUF="${NS.stuf}"><StUF:stuurgegevens>${stuurgegevens}</StUF:stuurgegevens><StUF:body>${body}</StUF:body></StUF:${kind}Bericht>` +
    `</detail></soap:Fault>` +
    ENVELOPE_CLOSE
  );
}
