// Typed errors of the StUF layer. Every one carries a short `detail` that is safe to show a
// consumer (no raw XML, no stack, bounded length) and the gateway status it maps to, so the HTTP
// layer can render a problem body without knowing StUF.

const MAX_DETAIL = 300;

/** Strip control characters and bound the length: backend text ends up in problem bodies and logs. */
export function safeText(text: string, max = MAX_DETAIL): string {
  const clean = text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    // Backend markup never reaches a consumer: any `<` that opens a tag, end tag, comment, CDATA
    // section, declaration or processing instruction, up to its `>` (parser messages quote
    // fragments such as `<![CDATA[`), and namespace declarations quoted without their tag.
    .replace(/<(?=[^\s<>=0-9])[^<>]{0,300}>?/g, '<…>')
    .replace(/xmlns(?::[\w.-]*)?(?:\s*=\s*(?:"[^"]*"?|'[^']*'?))?/gi, '…')
    .trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** Which StUF message a failing call was about, for logs and problem bodies. */
export interface StufCallContext {
  messageName?: string;
  referentienummer?: string;
}

export abstract class StufError extends Error {
  /** 502 (backend answered badly or not at all) or 504 (backend too slow). */
  abstract readonly gatewayStatus: 502 | 504;
  /** Short, consumer-safe description. */
  readonly detail: string;
  messageName?: string;
  referentienummer?: string;
  /** Extra lines for logs only (e.g. XSD errors, which may quote values): never for consumers. */
  diagnostics?: string[];

  constructor(detail: string, options?: { cause?: unknown }) {
    super(safeText(detail), options);
    this.detail = safeText(detail);
  }

  /** Attach which message failed; returns this for `throw err.withContext(...)`. */
  withContext(ctx: StufCallContext): this {
    if (ctx.messageName !== undefined) this.messageName ??= ctx.messageName;
    if (ctx.referentienummer !== undefined) this.referentienummer ??= ctx.referentienummer;
    return this;
  }
}

export type Foutplek = 'client' | 'server' | '';

export interface StufFaultFields {
  /** Fo01, Fo02, Fo03 (from stuurgegevens or the element name); '' for a plain SOAP fault. */
  berichtcode: string;
  /** StUF foutcode (e.g. StUF058); '' for a plain SOAP fault. */
  foutcode: string;
  plek: Foutplek;
  omschrijving: string;
  details?: string;
  /** 'stuf' when the answer held a Fo0x message, 'soap' for a plain SOAP fault without StUF content. */
  source: 'stuf' | 'soap';
  /** faultcode (1.1) or Code/Value (1.2) without prefix, when the answer was a SOAP Fault. */
  soapFaultCode?: string;
}

/** The backend answered with a StUF Fo01/Fo02/Fo03 or a plain SOAP fault. */
export class StufFault extends StufError implements StufFaultFields {
  override readonly name = 'StufFault';
  readonly gatewayStatus = 502 as const;
  readonly berichtcode: string;
  readonly foutcode: string;
  readonly plek: Foutplek;
  readonly omschrijving: string;
  readonly details?: string;
  readonly source: 'stuf' | 'soap';
  readonly soapFaultCode?: string;

  constructor(f: StufFaultFields) {
    const what = f.source === 'stuf' ? `${f.berichtcode || 'Fo'} ${f.foutcode}`.trim() : `SOAP fault ${f.soapFaultCode ?? ''}`.trim();
    super(`backend answered ${what}${f.omschrijving ? `: ${f.omschrijving}` : ''}`);
    this.berichtcode = f.berichtcode;
    this.foutcode = f.foutcode;
    this.plek = f.plek;
    this.omschrijving = f.omschrijving;
    if (f.details !== undefined) this.details = f.details;
    this.source = f.source;
    if (f.soapFaultCode !== undefined) this.soapFaultCode = f.soapFaultCode;
  }
}

export type StufTransportErrorKind =
  | 'timeout' // no complete answer within the response timeout
  | 'connect' // could not connect (refused, DNS, connect timeout)
  | 'too_large' // answer larger than maxResponseBytes
  | 'http_status' // non-2xx without a SOAP fault in it
  | 'network' // connection broke after it was made (reset, closed mid-answer)
  | 'aborted'; // the caller's AbortSignal fired

export class StufTransportError extends StufError {
  override readonly name = 'StufTransportError';
  readonly kind: StufTransportErrorKind;
  /** HTTP status of the answer, for kind 'http_status'. */
  readonly httpStatus?: number;

  constructor(kind: StufTransportErrorKind, detail: string, options?: { cause?: unknown; httpStatus?: number }) {
    super(detail, options);
    this.kind = kind;
    if (options?.httpStatus !== undefined) this.httpStatus = options.httpStatus;
  }

  get gatewayStatus(): 502 | 504 {
    return this.kind === 'timeout' ? 504 : 502;
  }
}

export type StufProtocolErrorReason =
  | 'doctype' // DOCTYPE/ENTITY declaration (entity expansion, external entities)
  | 'limit' // nesting, element count, text or size limit exceeded
  | 'malformed' // not well-formed XML, unbound prefix, no root element
  | 'encoding' // bytes that do not decode without loss
  | 'unexpected_answer' // well-formed, but not the answer this question allows
  | 'wrong_namespace' // the expected element in another namespace
  | 'invalid_outgoing'; // a message we built failed XSD validation (not sent)

/** The answer (or, for invalid_outgoing, our own message) is not usable StUF. */
export class StufProtocolError extends StufError {
  override readonly name = 'StufProtocolError';
  readonly gatewayStatus = 502 as const;
  readonly reason: StufProtocolErrorReason;

  constructor(reason: StufProtocolErrorReason, detail: string, options?: { cause?: unknown }) {
    super(detail, options);
    this.reason = reason;
  }
}
