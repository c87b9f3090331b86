// Public surface of the StUF protocol layer. Nothing here knows klanten, mapping, cache or HTTP.
export { StufClient } from './client.ts';
export type {
  CallOptions,
  KennisgevingRequest,
  KennisgevingResult,
  La01Result,
  OutgoingValidator,
  QuestionRequest,
  StufCallEvent,
  StufCallOutcome,
  StufClientOptions,
} from './client.ts';
export { StufError, StufFault, StufProtocolError, StufTransportError, safeText } from './errors.ts';
export type { Foutplek, StufFaultFields, StufProtocolErrorReason, StufTransportErrorKind } from './errors.ts';
export { isSoapNs, unwrapEnvelope, wrapEnvelope } from './envelope.ts';
export type { SoapFault, Unwrapped } from './envelope.ts';
export { faultFromFoutbericht, faultFromSoap, isFoutbericht } from './fault.ts';
export {
  answerNameOf,
  buildLk01,
  buildLv01,
  parseBevestiging,
  parseLa01,
  payloadOf,
  readKennisgevingAnswer,
  readQuestionAnswer,
} from './messages.ts';
export type { Bevestiging, La01Answer, Lk01Content, Lk01Message, Lv01Content, Lv01Question, Mutatiesoort } from './messages.ts';
export {
  REFNUMMER_MAX,
  buildStuurgegevens,
  checkSysteem,
  formatTijdstip,
  newReferentienummer,
  normalizeTijdstip,
  parseStuurgegevens,
} from './stuurgegevens.ts';
export type { ParsedStuurgegevens, StuurgegevensFields, StuurgegevensInput, Systeem } from './stuurgegevens.ts';
export { SoapTransport } from './transport.ts';
export type { SoapHttpResponse, SoapPostOptions, SoapTransportOptions } from './transport.ts';
export { buildXml, escapeAttribute, escapeText } from './xml-build.ts';
export type { BuildOptions } from './xml-build.ts';
export { DEFAULT_XML_LIMITS, parseXml } from './xml-parse.ts';
export type { ParseOptions, XmlLimits } from './xml-parse.ts';
export * from './xml-node.ts';
