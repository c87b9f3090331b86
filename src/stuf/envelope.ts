// SOAP envelope: we send strict SOAP 1.1; answers are unwrapped leniently (see
// schemas/stuf/README.md "What real backends send"): a bare payload without envelope, the SOAP 1.2
// namespace under any prefix, headers (WS-Addressing, WCF, mustUnderstand="1") ignored, SOAP 1.1
// and 1.2 faults. Matching is on namespace URI + local name, never on prefix.
import { StufProtocolError } from './errors.ts';
import { NS, el, type XmlNode } from './xml-node.ts';

const SOAP_NS = new Set<string>([NS.soap11, NS.soap12]);

export function isSoapNs(ns: string): boolean {
  return SOAP_NS.has(ns);
}

/** Wrap a payload element in a SOAP 1.1 Envelope/Body (with optional header blocks). */
export function wrapEnvelope(payload: XmlNode, headers: XmlNode[] = []): XmlNode {
  const parts = headers.length > 0 ? [el(NS.soap11, 'Header', headers)] : [];
  parts.push(el(NS.soap11, 'Body', [payload]));
  return el(NS.soap11, 'Envelope', parts);
}

/** A SOAP Fault, 1.1 or 1.2, reduced to what both carry. */
export interface SoapFault {
  /** faultcode (1.1) or Code/Value (1.2) as sent, minus its prefix: 'Client', 'server', 'Server.userException'. */
  code: string;
  /** 1.2 Subcode/Value without prefix, when present. */
  subcode?: string;
  /** faultstring / Reason/Text. */
  reason: string;
  /** The StUF element inside detail/Detail (a Fo0x message), else its first element. */
  detail?: XmlNode;
}

export interface Unwrapped {
  /** '1.1' or '1.2' for an envelope, 'none' for a bare payload. */
  soapVersion: '1.1' | '1.2' | 'none';
  /** Header blocks, for diagnostics only (never processed: we are the final receiver of answers). */
  headers: XmlNode[];
  /** The element in Body (or the bare root); undefined for a Fault or an empty Body. */
  payload?: XmlNode;
  fault?: SoapFault;
}

/** Take a parsed answer apart. Throws StufProtocolError when it is SOAP but not an envelope. */
export function unwrapEnvelope(root: XmlNode): Unwrapped {
  if (!isSoapNs(root.ns)) return { soapVersion: 'none', headers: [], payload: root };
  if (root.name !== 'Envelope') {
    throw new StufProtocolError('unexpected_answer', `answer root is SOAP ${root.name}, not Envelope`);
  }
  const soapVersion = root.ns === NS.soap12 ? '1.2' : '1.1';
  const header = root.children.find((c) => c.name === 'Header' && isSoapNs(c.ns));
  const body = root.children.find((c) => c.name === 'Body' && isSoapNs(c.ns));
  if (!body) throw new StufProtocolError('unexpected_answer', 'SOAP answer has no Body');
  const headers = header?.children ?? [];
  const first = body.children[0];
  if (first && first.name === 'Fault' && isSoapNs(first.ns)) {
    return { soapVersion, headers, fault: readFault(first) };
  }
  return first ? { soapVersion, headers, payload: first } : { soapVersion, headers };
}

function readFault(fault: XmlNode): SoapFault {
  // SOAP 1.1 children are unqualified, 1.2 children are in the envelope namespace; real
  // backends mix both, so children are matched on local name only.
  const byName = (name: string): XmlNode | undefined => fault.children.find((c) => c.name === name);
  const code11 = byName('faultcode');
  const code12 = byName('Code');
  const code = code11 ? code11.text : valueOf(code12);
  const subcode = valueOf(code12?.children.find((c) => c.name === 'Subcode'));
  const reason11 = byName('faultstring');
  const reason12 = byName('Reason');
  const reason = reason11 ? reason11.text : (reason12?.children.find((c) => c.name === 'Text')?.text ?? reason12?.text ?? '');
  const detail = byName('detail') ?? byName('Detail');
  const out: SoapFault = { code: stripPrefix(code ?? ''), reason: reason.trim() };
  if (subcode !== undefined) out.subcode = stripPrefix(subcode);
  const detailElement = detail?.children.find((c) => c.ns === NS.stuf) ?? detail?.children[0];
  if (detailElement) out.detail = detailElement;
  return out;
}

function valueOf(node: XmlNode | undefined): string | undefined {
  return node?.children.find((c) => c.name === 'Value')?.text;
}

function stripPrefix(qname: string): string {
  const t = qname.trim();
  const colon = t.indexOf(':');
  return colon === -1 ? t : t.slice(colon + 1);
}
