// StufClient: one object per StUF backend. Turns a question or kennisgeving into a complete
// message (stuurgegevens from config, a referentienummer derived from the caller's correlation
// id), sends it, and reads the answer: La01 / Bv0x on success, StufFault for Fo0x and SOAP
// faults, StufProtocolError for anything else, StufTransportError for HTTP trouble.
import { wrapEnvelope } from './envelope.ts';
import { StufError, StufProtocolError, StufTransportError } from './errors.ts';
import {
  buildLk01,
  buildLv01,
  readKennisgevingAnswer,
  readQuestionAnswer,
  type La01Answer,
  type Lk01Content,
  type Lv01Content,
} from './messages.ts';
import { checkSysteem, formatTijdstip, newReferentienummer, type ParsedStuurgegevens, type StuurgegevensInput, type Systeem } from './stuurgegevens.ts';
import { SoapTransport, type SoapHttpResponse } from './transport.ts';
import { buildXml } from './xml-build.ts';
import type { XmlNode } from './xml-node.ts';
import { parseXml, type XmlLimits } from './xml-parse.ts';

/** What validateOutgoing needs; StufXsdValidator fits. */
export interface OutgoingValidator {
  validate(xml: string): { valid: boolean; errors: string[] };
}

export interface StufClientOptions {
  endpoint: string;
  zender: Systeem;
  ontvanger: Systeem;
  connectTimeoutMs: number;
  questionTimeoutMs: number;
  kennisgevingTimeoutMs: number;
  maxResponseBytes: number;
  connections: number;
  keepAliveTimeoutMs?: number;
  /** Validate every outgoing message against the XSDs before sending (costs ~0.5 ms each). */
  validateOutgoing?: OutgoingValidator;
  /** Limits for parsing answers (defaults: DEFAULT_XML_LIMITS). */
  parseLimits?: Partial<XmlLimits>;
  /** Time zone of tijdstipBericht (default Europe/Amsterdam). */
  timeZone?: string;
  /** Observes every call (metrics, logs). Must not throw; exceptions are swallowed. */
  onCall?: (event: StufCallEvent) => void;
}

export interface CallOptions {
  /** Consumer request id: the referentienummer starts with it. */
  correlationId?: string;
  /** Overrides questionTimeoutMs / kennisgevingTimeoutMs for this call. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Overrides the default SOAPAction `<namespace>/<messageName>`. */
  soapAction?: string;
}

export type QuestionRequest = Lv01Content & CallOptions;
export type KennisgevingRequest = Lk01Content & CallOptions;

export interface La01Result extends La01Answer {
  /** referentienummer of the question we sent. */
  referentienummer: string;
}

export interface KennisgevingResult {
  /** Bv03 (Lk01), Bv02 (Lk02), or Bv01 from lenient backends. */
  berichtcode: string;
  referentienummer: string;
  stuurgegevens: ParsedStuurgegevens;
  meldingen: string[];
}

export type StufCallOutcome = 'ok' | 'fault' | 'protocol' | StufTransportError['kind'] | 'error';

export interface StufCallEvent {
  kind: 'question' | 'kennisgeving';
  messageName: string;
  namespace: string;
  referentienummer: string;
  correlationId?: string;
  durationMs: number;
  outcome: StufCallOutcome;
  /** Objects in the La01 (questions with outcome 'ok'). */
  objects?: number;
  /** HTTP status of the answer, when one arrived. */
  httpStatus?: number;
  /** The error thrown to the caller, when outcome is not 'ok'. */
  error?: unknown;
}

export class StufClient {
  private readonly opts: StufClientOptions;
  private readonly transport: SoapTransport;

  constructor(opts: StufClientOptions) {
    checkSysteem(opts.zender, 'zender');
    checkSysteem(opts.ontvanger, 'ontvanger');
    this.opts = opts;
    this.transport = new SoapTransport({
      endpoint: opts.endpoint,
      connectTimeoutMs: opts.connectTimeoutMs,
      maxResponseBytes: opts.maxResponseBytes,
      connections: opts.connections,
      ...(opts.keepAliveTimeoutMs !== undefined ? { keepAliveTimeoutMs: opts.keepAliveTimeoutMs } : {}),
    });
  }

  /** Ask an Lv01 question; resolves with the La01 (no objects when the backend found none). */
  async question(q: QuestionRequest): Promise<La01Result> {
    const { answer, referentienummer } = await this.call(
      'question',
      q,
      this.opts.questionTimeoutMs,
      (stuurgegevens) => buildLv01({ ...q, stuurgegevens }),
      (root) => readQuestionAnswer(root, q),
    );
    return { ...answer, referentienummer };
  }

  /** Send an Lk01/Lk02 kennisgeving; resolves when the backend confirms with a Bv0x. */
  async kennisgeving(k: KennisgevingRequest): Promise<KennisgevingResult> {
    const { answer, referentienummer } = await this.call(
      'kennisgeving',
      k,
      this.opts.kennisgevingTimeoutMs,
      (stuurgegevens) => buildLk01({ ...k, stuurgegevens }),
      readKennisgevingAnswer,
    );
    return { ...answer, referentienummer };
  }

  async close(): Promise<void> {
    await this.transport.close();
  }

  private async call<T>(
    kind: StufCallEvent['kind'],
    req: { namespace: string; messageName: string } & CallOptions,
    defaultTimeoutMs: number,
    build: (stuurgegevens: StuurgegevensInput) => XmlNode,
    read: (root: XmlNode) => T,
  ): Promise<{ answer: T; referentienummer: string }> {
    const started = performance.now();
    const referentienummer = newReferentienummer(req.correlationId);
    let httpStatus: number | undefined;
    try {
      const now = new Date();
      const payload = build({
        zender: this.opts.zender,
        ontvanger: this.opts.ontvanger,
        referentienummer,
        tijdstipBericht: formatTijdstip(now, this.opts.timeZone),
      });
      const xml = buildXml(wrapEnvelope(payload));
      this.checkOutgoing(xml, req.messageName);
      const res = await this.transport.post(xml, {
        soapAction: req.soapAction ?? `${req.namespace}/${req.messageName}`,
        timeoutMs: req.timeoutMs ?? defaultTimeoutMs,
        ...(req.signal ? { signal: req.signal } : {}),
      });
      httpStatus = res.status;
      const answer = this.readAnswer(res, read);
      this.emit({ kind, req, referentienummer, started, outcome: 'ok', httpStatus, objects: objectCount(answer) });
      return { answer, referentienummer };
    } catch (e) {
      if (e instanceof StufError) e.withContext({ messageName: req.messageName, referentienummer });
      this.emit({ kind, req, referentienummer, started, outcome: outcomeOf(e), httpStatus, error: e });
      throw e;
    }
  }

  private readAnswer<T>(res: SoapHttpResponse, read: (root: XmlNode) => T): T {
    const ok = res.status >= 200 && res.status < 300;
    try {
      const root = parseXml(res.body, {
        ...(res.charset ? { charset: res.charset } : {}),
        ...(this.opts.parseLimits ? { limits: this.opts.parseLimits } : {}),
      });
      const answer = read(root);
      if (!ok) throw httpStatusError(res.status);
      return answer;
    } catch (e) {
      // A non-2xx status is only meaningful to us when it carried a fault.
      if (!ok && e instanceof StufProtocolError) throw httpStatusError(res.status);
      throw e;
    }
  }

  private checkOutgoing(xml: string, messageName: string): void {
    const validator = this.opts.validateOutgoing;
    if (!validator) return;
    const result = validator.validate(xml);
    if (result.valid) return;
    const err = new StufProtocolError('invalid_outgoing', `${messageName} built by the gateway is not valid StUF (${result.errors.length} XSD errors); not sent`);
    err.diagnostics = result.errors.slice(0, 20);
    throw err;
  }

  private emit(e: {
    kind: StufCallEvent['kind'];
    req: { namespace: string; messageName: string; correlationId?: string };
    referentienummer: string;
    started: number;
    outcome: StufCallOutcome;
    httpStatus: number | undefined;
    objects?: number | undefined;
    error?: unknown;
  }): void {
    const hook = this.opts.onCall;
    if (!hook) return;
    const event: StufCallEvent = {
      kind: e.kind,
      messageName: e.req.messageName,
      namespace: e.req.namespace,
      referentienummer: e.referentienummer,
      durationMs: performance.now() - e.started,
      outcome: e.outcome,
    };
    if (e.req.correlationId !== undefined) event.correlationId = e.req.correlationId;
    if (e.objects !== undefined) event.objects = e.objects;
    if (e.httpStatus !== undefined) event.httpStatus = e.httpStatus;
    if (e.error !== undefined) event.error = e.error;
    try {
      hook(event);
    } catch {
      // observers must never change the outcome of a call
    }
  }
}

function httpStatusError(status: number): StufTransportError {
  return new StufTransportError('http_status', `backend answered HTTP ${status} without a SOAP fault`, { httpStatus: status });
}

function outcomeOf(e: unknown): StufCallOutcome {
  if (e instanceof StufTransportError) return e.kind;
  if (e instanceof StufProtocolError) return 'protocol';
  if (e instanceof StufError) return 'fault';
  return 'error';
}

function objectCount(answer: unknown): number | undefined {
  const objects = (answer as { objects?: unknown }).objects;
  return Array.isArray(objects) ? objects.length : undefined;
}
