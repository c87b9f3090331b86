// StUF 03.01 stuurgegevens: built strictly (element order and lengths of the XSD), parsed
// leniently (missing fields, empty <organisatie/>, 14/16/17-digit timestamps).
import { randomBytes, randomUUID } from 'node:crypto';
import { NS, child, el, textEl, type XmlNode } from './xml-node.ts';

/** StUF:Systeem — who sends or receives a message. */
export interface Systeem {
  /** max 200 */
  organisatie?: string;
  /** 3..50, required by the XSD */
  applicatie: string;
  /** max 50 */
  administratie?: string;
  /** max 100 */
  gebruiker?: string;
}

/** The parts of stuurgegevens that differ per call; berichtcode/entiteittype come from the message. */
export interface StuurgegevensInput {
  zender: Systeem;
  ontvanger: Systeem;
  /** max 40; see newReferentienummer */
  referentienummer: string;
  /** YYYYMMDDhhmmssmmm; see formatTijdstip */
  tijdstipBericht: string;
}

export interface StuurgegevensFields extends Partial<StuurgegevensInput> {
  berichtcode: string;
  crossRefnummer?: string;
  entiteittype?: string;
}

/** Stuurgegevens as an answer carried them: everything optional. */
export interface ParsedStuurgegevens {
  berichtcode?: string;
  zender?: Partial<Systeem>;
  ontvanger?: Partial<Systeem>;
  referentienummer?: string;
  /** Normalized to 17 digits when the answer had 14 to 17 digits; as sent otherwise. */
  tijdstipBericht?: string;
  crossRefnummer?: string;
  entiteittype?: string;
}

export const REFNUMMER_MAX = 40;

const SYSTEEM_LIMITS = { organisatie: [0, 200], applicatie: [3, 50], administratie: [0, 50], gebruiker: [0, 100] } as const;

/** Throws RangeError when a Systeem from configuration would not pass the XSD. */
export function checkSysteem(s: Systeem, label: string): void {
  for (const key of ['organisatie', 'applicatie', 'administratie', 'gebruiker'] as const) {
    const value = s[key];
    if (value === undefined) continue;
    const [min, max] = SYSTEEM_LIMITS[key];
    if (value.length < min || value.length > max) {
      throw new RangeError(`${label}.${key} must be ${min}..${max} characters, got ${value.length}`);
    }
  }
}

/** `<stuurgegevens>` in the message namespace, StUF children in XSD order. */
export function buildStuurgegevens(messageNs: string, s: StuurgegevensFields): XmlNode {
  const c: XmlNode[] = [textEl(NS.stuf, 'berichtcode', s.berichtcode)];
  if (s.zender) c.push(buildSysteem('zender', s.zender));
  if (s.ontvanger) c.push(buildSysteem('ontvanger', s.ontvanger));
  if (s.referentienummer !== undefined) c.push(textEl(NS.stuf, 'referentienummer', s.referentienummer));
  if (s.tijdstipBericht !== undefined) c.push(textEl(NS.stuf, 'tijdstipBericht', s.tijdstipBericht));
  if (s.crossRefnummer !== undefined) c.push(textEl(NS.stuf, 'crossRefnummer', s.crossRefnummer));
  if (s.entiteittype !== undefined) c.push(textEl(NS.stuf, 'entiteittype', s.entiteittype));
  return el(messageNs, 'stuurgegevens', c);
}

function buildSysteem(name: string, s: Systeem): XmlNode {
  const c: XmlNode[] = [];
  if (s.organisatie) c.push(textEl(NS.stuf, 'organisatie', s.organisatie));
  c.push(textEl(NS.stuf, 'applicatie', s.applicatie));
  if (s.administratie) c.push(textEl(NS.stuf, 'administratie', s.administratie));
  if (s.gebruiker) c.push(textEl(NS.stuf, 'gebruiker', s.gebruiker));
  return el(NS.stuf, name, c);
}

/** Read stuurgegevens leniently: any field may be missing or empty. */
export function parseStuurgegevens(node: XmlNode | undefined): ParsedStuurgegevens {
  const out: ParsedStuurgegevens = {};
  if (!node) return out;
  const berichtcode = textOf(node, 'berichtcode');
  if (berichtcode) out.berichtcode = berichtcode;
  const zender = parseSysteem(child(node, 'zender', NS.stuf));
  if (zender) out.zender = zender;
  const ontvanger = parseSysteem(child(node, 'ontvanger', NS.stuf));
  if (ontvanger) out.ontvanger = ontvanger;
  const ref = textOf(node, 'referentienummer');
  if (ref) out.referentienummer = ref;
  const tijdstip = textOf(node, 'tijdstipBericht');
  if (tijdstip) out.tijdstipBericht = normalizeTijdstip(tijdstip);
  const cross = textOf(node, 'crossRefnummer');
  if (cross) out.crossRefnummer = cross;
  const entiteittype = textOf(node, 'entiteittype');
  if (entiteittype) out.entiteittype = entiteittype;
  return out;
}

function parseSysteem(node: XmlNode | undefined): Partial<Systeem> | undefined {
  if (!node) return undefined;
  const out: Partial<Systeem> = {};
  for (const key of ['organisatie', 'applicatie', 'administratie', 'gebruiker'] as const) {
    const v = textOf(node, key);
    if (v) out[key] = v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function textOf(node: XmlNode, name: string): string | undefined {
  const v = child(node, name, NS.stuf)?.text.trim();
  return v === '' ? undefined : v;
}

/** 14 (no ms), 16 (centiseconds) or 17 digits → 17 digits; anything else is returned as sent. */
export function normalizeTijdstip(raw: string): string {
  const t = raw.trim();
  if (/^\d{14,17}$/.test(t)) return t.padEnd(17, '0');
  return t;
}

// Dutch backends read tijdstipBericht as Dutch local time; the formatter is built once.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

// formatToParts per message cost ~14 µs of an uncached klant_read (measured); the date and time
// down to the second are the same for every message in one second (time zone offsets change on
// whole seconds), so the last one is kept per time zone.
const lastSecond = new Map<string, { second: number; text: string }>();

/** StUF Tijdstip with milliseconds, YYYYMMDDhhmmssmmm, in the given time zone. */
export function formatTijdstip(date: Date = new Date(), timeZone = 'Europe/Amsterdam'): string {
  const ms = String(date.getMilliseconds()).padStart(3, '0');
  const second = Math.floor(date.getTime() / 1000);
  const last = lastSecond.get(timeZone);
  if (last !== undefined && last.second === second) return last.text + ms;
  const p: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(date)) p[part.type] = part.value;
  const text = `${p.year}${p.month}${p.day}${p.hour}${p.minute}${p.second}`;
  if (lastSecond.size < 100 || lastSecond.has(timeZone)) lastSecond.set(timeZone, { second, text });
  return text + ms;
}

// Referentienummer: "<correlation id>-<7 chars>", at most 40 characters (StUF:Refnummer).
// The suffix is a 2-character random process tag plus a 5-character base-36 counter, so every
// message of one consumer call is distinct and the call stays greppable in backend logs.
const PROCESS_TAG = (randomBytes(2).readUInt16BE(0) % (36 * 36)).toString(36).padStart(2, '0');
const SEQ_MOD = 36 ** 5;
let seq = Math.floor(Math.random() * SEQ_MOD);
const SUFFIX_LEN = 7;

/**
 * A referentienummer unique per message that starts with the caller's correlation id (a request
 * id): kept as is when it fits in 32 characters, else with '-' removed (a UUID becomes 32 hex
 * digits), else cut to 32. Characters outside [A-Za-z0-9._:-] become '_'. Without a correlation
 * id a random UUID (hex) takes its place.
 */
export function newReferentienummer(correlationId?: string): string {
  seq = (seq + 1) % SEQ_MOD;
  const suffix = PROCESS_TAG + seq.toString(36).padStart(5, '0');
  const room = REFNUMMER_MAX - 1 - SUFFIX_LEN;
  let corr = (correlationId ?? '').trim().replace(/[^A-Za-z0-9._:-]/g, '_');
  if (corr === '') corr = randomUUID().replaceAll('-', '');
  if (corr.length > room) corr = corr.replaceAll('-', '');
  if (corr.length > room) corr = corr.slice(0, room);
  return `${corr}-${suffix}`;
}
