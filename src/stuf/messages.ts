// StUF messages: questions (Lv01 → La01) and kennisgevingen (Lk01/Lk02 → Bv0x), built in the
// exact element order of the StUF-BG/ZKN 03.10 schemas and read back leniently. The mapping
// builds the entity content (gelijk, scope, start and kennisgeving objects); this module only
// places it. Answers are checked on namespace + local name; faults become StufFault.
import { unwrapEnvelope } from './envelope.ts';
import { StufProtocolError } from './errors.ts';
import { faultFromFoutbericht, faultFromSoap, isFoutbericht } from './fault.ts';
import { buildStuurgegevens, parseStuurgegevens, type ParsedStuurgegevens, type StuurgegevensInput } from './stuurgegevens.ts';
import { NS, attr, child, childrenNamed, el, textEl, type XmlAttr, type XmlNode } from './xml-node.ts';

// ---------------------------------------------------------------------------------------------
// Lv01

/** What a question asks; the client adds stuurgegevens. */
export interface Lv01Content {
  /** Namespace of the message, e.g. NS.bg. */
  namespace: string;
  /** Message element and WSDL operation, e.g. 'npsLv01'. */
  messageName: string;
  /** e.g. 'NPS'. */
  entiteittype: string;
  /** StUF sortering, 0..99 (see the entity's *-sortering type). */
  sortering: number;
  indicatorVervolgvraag: boolean;
  /** 0..99999999; the XSD default is 15. */
  maximumAantal?: number;
  indicatorAfnemerIndicatie?: boolean;
  indicatorAantal?: boolean;
  /**
   * Selection objects built by the mapping. The element's own name does not matter: its
   * attributes and children become `<gelijk>` / `<vanaf>` / `<totEnMet>`.
   */
  gelijk?: XmlNode;
  vanaf?: XmlNode;
  totEnMet?: XmlNode;
  /** The scope object (placed as scope/object). */
  scope: XmlNode;
  /** Follow-up question: the last object of the previous answer (placed as start/object). */
  start?: XmlNode;
  /** Answer element name when it is not messageName with Lv0x → La0x. */
  answerName?: string;
}

export interface Lv01Question extends Lv01Content {
  stuurgegevens: StuurgegevensInput;
}

export function buildLv01(q: Lv01Question): XmlNode {
  const ns = q.namespace;
  checkRange('sortering', q.sortering, 0, 99);
  if (q.maximumAantal !== undefined) checkRange('maximumAantal', q.maximumAantal, 0, 99_999_999);

  const params: XmlNode[] = [
    textEl(NS.stuf, 'sortering', String(q.sortering)),
    textEl(NS.stuf, 'indicatorVervolgvraag', String(q.indicatorVervolgvraag)),
  ];
  if (q.maximumAantal !== undefined) params.push(textEl(NS.stuf, 'maximumAantal', String(q.maximumAantal)));
  if (q.indicatorAfnemerIndicatie !== undefined) {
    params.push(textEl(NS.stuf, 'indicatorAfnemerIndicatie', String(q.indicatorAfnemerIndicatie)));
  }
  if (q.indicatorAantal !== undefined) params.push(textEl(NS.stuf, 'indicatorAantal', String(q.indicatorAantal)));

  const children: XmlNode[] = [
    buildStuurgegevens(ns, { ...q.stuurgegevens, berichtcode: berichtcodeOf(q.messageName, 'Lv01'), entiteittype: q.entiteittype }),
    el(ns, 'parameters', params),
  ];
  if (q.gelijk) children.push(asEntity(q.gelijk, ns, 'gelijk', q.entiteittype));
  if (q.vanaf) children.push(asEntity(q.vanaf, ns, 'vanaf', q.entiteittype));
  if (q.totEnMet) children.push(asEntity(q.totEnMet, ns, 'totEnMet', q.entiteittype));
  children.push(el(ns, 'scope', [asEntity(q.scope, ns, 'object', q.entiteittype)]));
  if (q.start) children.push(el(ns, 'start', [asEntity(q.start, ns, 'object', q.entiteittype)]));
  return el(ns, q.messageName, children);
}

/** La01 element name answering `messageName` (npsLv01 → npsLa01). */
export function answerNameOf(q: Pick<Lv01Content, 'messageName' | 'answerName'>): string {
  return q.answerName ?? q.messageName.replace(/Lv(\d\d)$/, 'La$1');
}

// ---------------------------------------------------------------------------------------------
// La01

export interface La01Answer {
  stuurgegevens: ParsedStuurgegevens;
  /** antwoord/object elements, in order; empty `<object/>` elements are left out. */
  objects: XmlNode[];
  indicatorVervolgvraag: boolean;
  aantalVoorkomens?: number;
  meldingen: string[];
}

/**
 * Read an La01 payload. With `expect`, the element must be `expect.messageName` in
 * `expect.namespace`. No antwoord (or an empty one) means no objects.
 */
export function parseLa01(payload: XmlNode, expect?: { namespace: string; messageName: string }): La01Answer {
  if (expect) expectElement(payload, expect.namespace, expect.messageName);
  const ns = payload.ns;
  const params = child(payload, 'parameters', ns);
  const antwoord = child(payload, 'antwoord', ns);
  const objects: XmlNode[] = [];
  for (const c of antwoord?.children ?? []) {
    if (c.name !== 'object') throw new StufProtocolError('unexpected_answer', `unexpected <${c.name}> in ${payload.name}/antwoord`);
    if (c.ns !== ns) throw new StufProtocolError('wrong_namespace', `${payload.name}/antwoord/object in namespace ${c.ns || '(none)'}`);
    if (!isEmptyObject(c)) objects.push(c);
  }
  const answer: La01Answer = {
    stuurgegevens: parseStuurgegevens(child(payload, 'stuurgegevens', ns)),
    objects,
    indicatorVervolgvraag: parseBoolean(child(params, 'indicatorVervolgvraag', NS.stuf)?.text, 'indicatorVervolgvraag'),
    meldingen: childrenNamed(payload, 'melding', ns).map((m) => m.text.trim()),
  };
  const aantal = child(params, 'aantalVoorkomens', NS.stuf)?.text.trim();
  if (aantal && /^\d+$/.test(aantal)) answer.aantalVoorkomens = Number(aantal);
  return answer;
}

/** `<object/>`, `<object xsi:nil="true"/>`: no content and no key. */
function isEmptyObject(o: XmlNode): boolean {
  if (o.children.length > 0 || o.text.trim() !== '') return false;
  return !o.attrs.some((a) => a.name.startsWith('sleutel') && a.value.trim() !== '');
}

/** StUF booleans, leniently: whitespace, any case, 1/0 and J/N as seen in the wild; absent = false. */
function parseBoolean(text: string | undefined, what: string): boolean {
  const v = (text ?? '').trim().toLowerCase();
  if (v === 'true' || v === '1' || v === 'j') return true;
  if (v === 'false' || v === '0' || v === 'n' || v === '') return false;
  throw new StufProtocolError('unexpected_answer', `${what} is not a boolean`);
}

// ---------------------------------------------------------------------------------------------
// Lk01 / Lk02

export type Mutatiesoort = 'T' | 'W' | 'V' | 'C' | 'F';

export interface Lk01Content {
  namespace: string;
  /** e.g. 'npsLk01' (asynchronous, answered by Bv03) or 'npsLk02' (synchronous, Bv02). */
  messageName: string;
  entiteittype: string;
  mutatiesoort: Mutatiesoort;
  /** Lk01 only (Lk02 has no indicatorOvername); default 'V'. */
  indicatorOvername?: 'V' | 'I';
  /**
   * Objects built by the mapping, each with its StUF:verwerkingssoort: one for T and V, the old
   * and the new state (in that order) for W, C and F. Placed as `<object>` in the namespace.
   */
  objects: XmlNode[];
}

export interface Lk01Message extends Lk01Content {
  stuurgegevens: StuurgegevensInput;
}

export function buildLk01(k: Lk01Message): XmlNode {
  const ns = k.namespace;
  const pair = k.mutatiesoort === 'W' || k.mutatiesoort === 'C' || k.mutatiesoort === 'F';
  const expected = pair ? 2 : 1;
  if (k.objects.length !== expected) {
    throw new RangeError(`mutatiesoort ${k.mutatiesoort} needs ${expected} object(s), got ${k.objects.length}`);
  }
  const berichtcode = berichtcodeOf(k.messageName, 'Lk01');
  const params = [textEl(NS.stuf, 'mutatiesoort', k.mutatiesoort)];
  if (berichtcode === 'Lk01') params.push(textEl(NS.stuf, 'indicatorOvername', k.indicatorOvername ?? 'V'));
  const objects = k.objects.map((o) => {
    if (!o.attrs.some((a) => a.name === 'verwerkingssoort' && a.ns === NS.stuf)) {
      throw new RangeError('every kennisgeving object needs a StUF:verwerkingssoort attribute');
    }
    return asEntity(o, ns, 'object', k.entiteittype);
  });
  return el(ns, k.messageName, [
    buildStuurgegevens(ns, { ...k.stuurgegevens, berichtcode, entiteittype: k.entiteittype }),
    el(ns, 'parameters', params),
    ...objects,
  ]);
}

// ---------------------------------------------------------------------------------------------
// Bv01..Bv04

export interface Bevestiging {
  berichtcode: string;
  stuurgegevens: ParsedStuurgegevens;
  meldingen: string[];
}

const BV_NAME = /^Bv0[1-4]Bericht$/;

/** Read a Bv0xBericht (StUF namespace). */
export function parseBevestiging(payload: XmlNode): Bevestiging {
  if (!BV_NAME.test(payload.name)) {
    throw new StufProtocolError('unexpected_answer', `expected a Bv0x confirmation, got ${payload.name}`);
  }
  if (payload.ns !== NS.stuf) throw new StufProtocolError('wrong_namespace', `${payload.name} in namespace ${payload.ns || '(none)'}`);
  const stuurgegevens = parseStuurgegevens(child(payload, 'stuurgegevens', NS.stuf));
  return {
    berichtcode: stuurgegevens.berichtcode ?? payload.name.slice(0, 4),
    stuurgegevens,
    meldingen: childrenNamed(payload, 'melding', NS.stuf).map((m) => m.text.trim()),
  };
}

// ---------------------------------------------------------------------------------------------
// Whole answers (envelope included)

/** Answer to an Lv01: the La01, or StufFault / StufProtocolError. */
export function readQuestionAnswer(root: XmlNode, q: Pick<Lv01Content, 'namespace' | 'messageName' | 'answerName'>): La01Answer {
  return parseLa01(payloadOf(root), { namespace: q.namespace, messageName: answerNameOf(q) });
}

/** Answer to an Lk01/Lk02: the Bv0x, or StufFault / StufProtocolError. */
export function readKennisgevingAnswer(root: XmlNode): Bevestiging {
  return parseBevestiging(payloadOf(root));
}

/** The payload of an answer; throws the StufFault when it is one (SOAP Fault or Fo0x in Body). */
export function payloadOf(root: XmlNode): XmlNode {
  const u = unwrapEnvelope(root);
  if (u.fault) throw faultFromSoap(u.fault);
  if (!u.payload) throw new StufProtocolError('unexpected_answer', 'answer has an empty SOAP Body');
  if (isFoutbericht(u.payload)) throw faultFromFoutbericht(u.payload);
  return u.payload;
}

// ---------------------------------------------------------------------------------------------
// helpers

function expectElement(node: XmlNode, ns: string, name: string): void {
  if (node.name !== name) throw new StufProtocolError('unexpected_answer', `expected ${name}, got ${node.name}`);
  if (node.ns !== ns) throw new StufProtocolError('wrong_namespace', `${name} in namespace ${node.ns || '(none)'}, expected ${ns}`);
}

/** Lv01/La01/Lk01... from the end of a message name (npsLv01, creeerZaak_ZakLk01); else the fallback. */
function berichtcodeOf(messageName: string, fallback: string): string {
  return /(L[vak]\d\d)$/.exec(messageName)?.[1] ?? fallback;
}

/** The mapping's object as `name` in `ns`, with StUF:entiteittype (required by every entity type). */
function asEntity(node: XmlNode, ns: string, name: string, entiteittype: string): XmlNode {
  const hasType = node.attrs.some((a) => a.name === 'entiteittype' && a.ns === NS.stuf);
  const attrs: XmlAttr[] = hasType ? node.attrs : [attr(NS.stuf, 'entiteittype', entiteittype), ...node.attrs];
  return { ns, name, attrs, children: node.children, text: node.text };
}

function checkRange(what: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`${what} must be an integer ${min}..${max}`);
}
