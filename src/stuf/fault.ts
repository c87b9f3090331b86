// StUF Fo01/Fo02/Fo03 messages and plain SOAP faults → StufFault. A Fo0x may arrive inside
// soap:Fault/detail (the standard) or directly in soap:Body (seen in the wild); an intermediate
// gateway may send a SOAP fault with no StUF content at all.
import type { SoapFault } from './envelope.ts';
import { StufFault, type Foutplek } from './errors.ts';
import { parseStuurgegevens } from './stuurgegevens.ts';
import { NS, child, type XmlNode } from './xml-node.ts';

const FO_NAME = /^Fo0[1-4]Bericht$/;

/** True for a StUF Fo0xBericht element (StUF namespace). */
export function isFoutbericht(node: XmlNode): boolean {
  return node.ns === NS.stuf && FO_NAME.test(node.name);
}

/** Read a Fo0xBericht leniently: any field may be missing; berichtcode falls back to the element name. */
export function faultFromFoutbericht(node: XmlNode, soapFaultCode?: string): StufFault {
  const sg = parseStuurgegevens(child(node, 'stuurgegevens', NS.stuf));
  const body = child(node, 'body', NS.stuf);
  const text = (name: string): string => child(body, name, NS.stuf)?.text.trim() ?? '';
  const details = text('details');
  return new StufFault({
    berichtcode: sg.berichtcode ?? node.name.slice(0, 4),
    foutcode: text('code'),
    plek: toPlek(text('plek')),
    omschrijving: text('omschrijving'),
    ...(details ? { details } : {}),
    source: 'stuf',
    ...(soapFaultCode !== undefined ? { soapFaultCode } : {}),
  });
}

/** A SOAP fault, with or without a Fo0x in its detail. */
export function faultFromSoap(fault: SoapFault): StufFault {
  if (fault.detail && isFoutbericht(fault.detail)) return faultFromFoutbericht(fault.detail, fault.code);
  return new StufFault({
    berichtcode: '',
    foutcode: '',
    plek: toPlek(fault.code),
    omschrijving: fault.reason,
    source: 'soap',
    soapFaultCode: fault.subcode ? `${fault.code}/${fault.subcode}` : fault.code,
  });
}

/** StUF plek, or the side a SOAP faultcode blames (Client/Sender vs Server/Receiver, any case). */
function toPlek(value: string): Foutplek {
  const v = value.trim().toLowerCase();
  if (v.startsWith('client') || v.startsWith('sender')) return 'client';
  if (v.startsWith('server') || v.startsWith('receiver')) return 'server';
  return '';
}
