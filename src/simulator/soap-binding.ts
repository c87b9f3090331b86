// The `soap` package's part in the simulator: it parses the simulator's WSDL (with the StUF
// schemas it imports), serves it at `?wsdl`, and its parsed bindings give the SOAPAction of
// every operation, which the simulator checks on each request.
//
// Why the StUF operations are not handled by soap's service functions: the simulator must see
// the exact request bytes (every message is validated with libxml2 against the XSDs) and must
// write exact StUF answers (La01 element order, Fo02/Fo03 inside soap:Fault/detail, deliberately
// broken answers for fault injection). soap's handlers get a schema-converted object and return
// an object that soap serializes, and its body reader has no size limit. So an HTTP handler in
// front of soap takes the POSTs to the endpoint with the raw body, and everything else on the
// endpoint path (GET ?wsdl) goes to soap.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import soap from 'soap';
import { SECTORS, type Sector } from './sectors.ts';

/** The StUF-BG endpoint's WSDL (each sector names its own in sectors.ts). */
export const WSDL_FILE = SECTORS.bg.wsdlFile;

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface SoapBinding {
  /** soap's own request handler (for the endpoint path). */
  handle: RequestHandler;
  /** SOAPAction per operation (= input element name: npsLv01 → http://www.egem.nl/StUF/sector/bg/0310/npsLv01). */
  soapActions: Map<string, string>;
}

interface ParsedMethod {
  soapAction?: string;
}
interface ParsedWsdl {
  definitions: { services: Record<string, { ports: Record<string, { binding: { methods: Record<string, ParsedMethod> } }> }> };
}

/**
 * Attach soap to `server` (which must be listening) for `endpointPath`, with the WSDL's
 * soap:address set to `endpointUrl`. Returns soap's handler detached from the server, so the
 * caller's front handler decides what reaches it. soap replaces the server's 'request' listeners
 * by one wrapping them; they are put back as they were (also when this runs while the server is
 * already serving: between soap's swap and the restore no request event can run).
 */
export async function attachSoap(server: Server, endpointPath: string, endpointUrl: string, sector: Sector = SECTORS.bg): Promise<SoapBinding> {
  const xml = readFileSync(sector.wsdlFile, 'utf8').replace(/(<soap:address location=")[^"]*(")/g, `$1${endpointUrl}$2`);
  // The service functions are never called (POSTs are answered in front of soap); soap only
  // needs them to bind the WSDL's ports.
  const notHere = (): never => {
    throw new Error('StUF operations are answered by the simulator front handler');
  };
  const ports = { BeantwoordVraag: {}, OntvangAsynchroon: {}, VerwerkSynchroneKennisgeving: {} } as Record<string, Record<string, () => never>>;
  const original = server.listeners('request');
  const before = new Set(original);
  const soapServer = await new Promise<{ wsdl: ParsedWsdl }>((resolve, reject) => {
    const s = soap.listen(server, {
      path: endpointPath,
      services: { [sector.service]: ports },
      xml,
      uri: sector.wsdlFile,
      callback: (err: unknown) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(s as unknown as { wsdl: ParsedWsdl })),
    });
  });
  const added = server.listeners('request').filter((l) => !before.has(l));
  for (const l of added) server.off('request', l as RequestHandler);
  for (const l of original) if (!server.listeners('request').includes(l)) server.on('request', l as RequestHandler);
  const [soapListener] = added;
  if (!soapListener || added.length !== 1) throw new Error('soap did not attach exactly one request listener');

  const soapActions = new Map<string, string>();
  for (const service of Object.values(soapServer.wsdl.definitions.services)) {
    for (const [portName, port] of Object.entries(service.ports)) {
      for (const [op, method] of Object.entries(port.binding.methods)) {
        if (method.soapAction) soapActions.set(op, method.soapAction);
        (ports[portName] ??= {})[op] = notHere;
      }
    }
  }
  return { handle: (req, res) => (soapListener as RequestHandler).call(server, req, res), soapActions };
}
