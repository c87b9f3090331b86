// The StUF side of the simulator, without HTTP: takes the raw request XML, validates it against
// the XSDs (every message, no exceptions), records it, and produces the exact answer envelope.
// Split in receive() and answer() so the HTTP layer can inject faults in between, knowing the
// message type.
import type { StufXsdValidator } from '../stuf/xsd-validator.ts';
import { child, NS, type XmlNode } from '../stuf/xml-node.ts';
import { isEntityCode, type EntityCode } from './entity-model.ts';
import { SECTORS, entitySpec, type Sector } from './sectors.ts';
import { FOUTCODE, StufFout } from './fout.ts';
import type { MessageLog, RecordedMessage } from './message-log.ts';
import { applyKennisgeving } from './mutation.ts';
import { answerQuestion } from './question.ts';
import type { ObjectStore } from './store.ts';
import { bevestiging, foutbericht, la01, objectXml, type AnswerContext, type RequestHeader } from './stuf-messages.ts';
import { parseXml } from './xml.ts';

/** Expected SOAPAction per payload element, read from the simulator's WSDL. */
export type SoapActions = ReadonlyMap<string, string>;

export interface Received {
  record: RecordedMessage;
  element: string;
  valid: boolean;
  errors: string[];
  payload?: XmlNode;
  header?: RequestHeader;
  soapAction: string | undefined;
}

export interface Answer {
  /** HTTP status: 200, or 500 for a SOAP Fault. */
  status: number;
  body: string;
  /** La01, Bv02, Bv03, Fo02, Fo03. */
  berichtcode: string;
}

const MAX_ERRORS = 5;

/** The messages a sector's endpoint answers: <prefix>Lv01, <prefix>Lk01, <prefix>Lk02 per entity. */
function messagePattern(sector: Sector): RegExp {
  return new RegExp(`^(${sector.entities.map((e) => e.prefix).join('|')})(Lv01|Lk01|Lk02)$`);
}

function supportedText(sector: Sector): string {
  const p = sector.entities.map((e) => e.prefix);
  return `Deze ${sector.label}-registratie beantwoordt ${p.map((x) => `${x}Lv01`).join(', ')} en verwerkt ${p.map((x) => `${x}Lk01/02`).join(', ')}`;
}

export class StufEngine {
  /** The sector whose messages this engine (one endpoint) answers. */
  readonly sector: Sector;
  private readonly messageRe: RegExp;
  private readonly store: ObjectStore;
  private readonly validator: StufXsdValidator;
  private readonly log: MessageLog;
  private readonly ctx: AnswerContext;
  private readonly soapActions: SoapActions;

  constructor(deps: { store: ObjectStore; validator: StufXsdValidator; log: MessageLog; ctx: AnswerContext; soapActions: SoapActions; sector?: Sector }) {
    this.sector = deps.sector ?? SECTORS.bg;
    this.messageRe = messagePattern(this.sector);
    this.store = deps.store;
    this.validator = deps.validator;
    this.log = deps.log;
    this.ctx = deps.ctx;
    this.soapActions = deps.soapActions;
  }

  /** Validate and record an incoming message. Never throws. */
  receive(xml: string, soapAction: string | undefined): Received {
    let element: string;
    let valid = false;
    let errors: string[];
    if (/<!DOCTYPE|<!ENTITY/i.test(xml)) {
      // Never valid in SOAP; refused before any parser could expand entities.
      errors = ['DOCTYPE/ENTITY declarations are not allowed in a SOAP message'];
      element = /<(?:[\w.-]+:)?(\w+(?:Lv0\d|Lk0\d))\b/.exec(xml)?.[1] ?? '';
    } else {
      const r = this.validator.validate(xml);
      element = r.element;
      valid = r.valid;
      errors = r.errors.slice(0, MAX_ERRORS);
    }
    const record = this.log.record({ soapAction, element, valid, errors, bytes: Buffer.byteLength(xml), xml });
    const received: Received = { record, element, valid, errors, soapAction };
    if (errors[0]?.startsWith('DOCTYPE')) return received;
    try {
      const root = parseXml(xml);
      received.payload = payloadOf(root);
      const header = headerOf(received.payload);
      // Echo routing data only from valid messages, so our answer stays schema-valid.
      received.header = valid ? header : { referentienummer: header.referentienummer?.slice(0, 40) ?? 'onbekend' };
    } catch (e) {
      if (valid) {
        received.valid = false;
        received.errors = [`unreadable: ${(e as Error).message}`];
      }
    }
    return received;
  }

  /** The answer to a received message (or the given fault instead of processing it). */
  answer(msg: Received, instead?: StufFout): Answer {
    const foKind = msg.element.endsWith('Lk01') ? 'Fo03' : 'Fo02';
    let result: Answer;
    try {
      if (instead) throw instead;
      result = this.process(msg);
    } catch (e) {
      const fout = e instanceof StufFout ? e : new StufFout(FOUTCODE.processing, 'Interne fout bij verwerken bericht', { plek: 'server', details: String((e as Error).message) });
      result = { status: 500, body: foutbericht(foKind, fout, msg.header, this.ctx), berichtcode: foKind };
    }
    this.log.answered(msg.record, result.berichtcode);
    return result;
  }

  private process(msg: Received): Answer {
    if (!msg.valid || !msg.payload) {
      throw new StufFout(FOUTCODE.invalid, 'Bericht voldoet niet aan het XML-schema', { details: msg.errors.join('\n') });
    }
    const expected = this.soapActions.get(msg.element);
    if (msg.soapAction && expected && msg.soapAction !== expected) {
      throw new StufFout(FOUTCODE.invalid, 'SOAPAction past niet bij het bericht', { details: `SOAPAction ${msg.soapAction}, verwacht ${expected}` });
    }
    const m = msg.payload.ns === this.sector.namespace ? this.messageRe.exec(msg.element) : null;
    const entity = m?.[1]?.toUpperCase() ?? '';
    if (!m || !isEntityCode(entity)) {
      throw new StufFout(FOUTCODE.unsupported, `Bericht ${msg.element} wordt niet ondersteund`, { details: supportedText(this.sector) });
    }
    const header = msg.header ?? {};
    return m[2] === 'Lv01' ? this.question(entity, msg.payload, header) : this.kennisgeving(entity, msg.payload, header, m[2] === 'Lk01' ? 'Bv03' : 'Bv02');
  }

  private question(entity: EntityCode, payload: XmlNode, header: RequestHeader): Answer {
    const r = answerQuestion(this.store, entity, payload);
    return { status: 200, body: la01(entitySpec(entity).prefix, entity, header, this.ctx, r, this.sector.namespace), berichtcode: 'La01' };
  }

  private kennisgeving(entity: EntityCode, payload: XmlNode, header: RequestHeader, kind: 'Bv02' | 'Bv03'): Answer {
    applyKennisgeving(this.store, entity, payload, (e, children) => this.assertAnswerable(e, children));
    return { status: 200, body: bevestiging(kind, header, this.ctx), berichtcode: kind };
  }

  /**
   * Keeps the store's invariant that every object can be answered in a schema-valid La01: the
   * kennisgeving types allow a little more than the antwoord types (~0.1 ms per write).
   */
  private assertAnswerable(entity: EntityCode, children: XmlNode[]): void {
    const object = objectXml(entity, 'check', children);
    const la = la01(entitySpec(entity).prefix, entity, {}, this.ctx, { objects: [object], indicatorVervolgvraag: false }, this.sector.namespace);
    const r = this.validator.validate(la);
    if (!r.valid) {
      throw new StufFout(FOUTCODE.unsupported, 'Object kan in deze registratie niet worden opgeslagen', { details: r.errors.slice(0, MAX_ERRORS).join('\n') });
    }
  }
}

function payloadOf(root: XmlNode): XmlNode | undefined {
  if (root.ns !== NS.soap11 && root.ns !== NS.soap12) return root;
  const body = root.children.find((c) => c.name === 'Body');
  return body?.children[0];
}

function headerOf(payload: XmlNode | undefined): RequestHeader {
  const sg = payload?.children.find((c) => c.name === 'stuurgegevens');
  const header: RequestHeader = {};
  const zender = child(sg, 'zender', NS.stuf);
  const ontvanger = child(sg, 'ontvanger', NS.stuf);
  const ref = child(sg, 'referentienummer', NS.stuf)?.text.trim();
  if (zender) header.zender = zender;
  if (ontvanger) header.ontvanger = ontvanger;
  if (ref) header.referentienummer = ref;
  return header;
}
