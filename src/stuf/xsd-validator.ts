// Validates StUF payloads against the official XSDs (schemas/stuf/), compiled once with libxml2
// (WASM). Used by the simulator (every incoming message), by the tests (every message the gateway
// sends) and optionally by the gateway itself (stuf.validateOutgoing).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XmlDocument, XmlElement, XsdValidator } from 'libxml2-wasm';
import { xmlRegisterFsInputProviders } from 'libxml2-wasm/lib/nodejs.mjs';

export const SCHEMA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../schemas/stuf');

const SOAP_NS = new Set(['http://schemas.xmlsoap.org/soap/envelope/', 'http://www.w3.org/2003/05/soap-envelope']);
const STUF_NS = 'http://www.egem.nl/StUF/StUF0301';
const BG_NS = 'http://www.egem.nl/StUF/sector/bg/0310';
const ZKN_NS = 'http://www.egem.nl/StUF/sector/zkn/0310';

/** Entry schema per (namespace, message kind); see schemas/stuf/README.md for why entry schemas. */
const ENTRY: Record<string, string> = {
  [`${BG_NS}|question`]: 'bg0310-vraagAntwoord.xsd',
  [`${BG_NS}|mutation`]: 'bg0310-mutatie.xsd',
  [`${ZKN_NS}|question`]: 'zkn0310-vraagAntwoord.xsd',
  [`${ZKN_NS}|mutation`]: 'zkn0310-mutatie.xsd',
  [`${STUF_NS}|stuf`]: '0301/stuf0301.xsd',
};

export interface XsdResult {
  valid: boolean;
  /** Local name of the validated payload element, e.g. npsLv01, Fo02Bericht. */
  element: string;
  errors: string[];
}

let registered = false;

export class StufXsdValidator {
  private readonly validators = new Map<string, XsdValidator>();
  private readonly schemaDir: string;

  constructor(schemaDir: string = SCHEMA_DIR) {
    this.schemaDir = schemaDir;
    if (!registered) {
      xmlRegisterFsInputProviders();
      registered = true;
    }
  }

  /** Validate a SOAP envelope (payload = element child of Body, or of Fault/detail) or a bare payload. */
  validate(xml: string): XsdResult {
    let doc: XmlDocument;
    try {
      doc = XmlDocument.fromString(xml);
    } catch (e) {
      return { valid: false, element: '', errors: [`not well-formed: ${(e as Error).message}`] };
    }
    try {
      const payload = findPayload(doc.root);
      if (!payload) return { valid: false, element: '', errors: ['no payload element in soap:Body'] };
      const key = schemaKey(payload);
      const file = key ? ENTRY[key] : undefined;
      if (!file) {
        return { valid: false, element: payload.name, errors: [`no schema for {${payload.namespaceUri}}${payload.name}`] };
      }
      try {
        this.validatorFor(file).validate(payload);
        return { valid: true, element: payload.name, errors: [] };
      } catch (e) {
        const details = (e as { details?: { message: string; line?: number }[] }).details;
        const errors = details?.length ? details.map((d) => `line ${d.line ?? '?'}: ${d.message.trim()}`) : [(e as Error).message];
        return { valid: false, element: payload.name, errors };
      }
    } finally {
      doc.dispose();
    }
  }

  /** Compile every entry schema up front (≈0.3 s each) so the first message is not slow. */
  warmUp(): void {
    for (const file of new Set(Object.values(ENTRY))) this.validatorFor(file);
  }

  dispose(): void {
    for (const v of this.validators.values()) v.dispose();
    this.validators.clear();
  }

  private validatorFor(file: string): XsdValidator {
    let v = this.validators.get(file);
    if (!v) {
      const full = path.join(this.schemaDir, file);
      const schemaDoc = XmlDocument.fromBuffer(readFileSync(full), { url: full });
      v = XsdValidator.fromDoc(schemaDoc);
      this.validators.set(file, v);
    }
    return v;
  }
}

function firstElement(node: XmlElement): XmlElement | null {
  let c = node.firstChild;
  while (c) {
    if (c instanceof XmlElement) return c;
    c = c.next;
  }
  return null;
}

function findPayload(root: XmlElement): XmlElement | null {
  if (!SOAP_NS.has(root.namespaceUri)) return root; // bare payload
  let c = root.firstChild;
  let body: XmlElement | null = null;
  while (c) {
    if (c instanceof XmlElement && c.name === 'Body') body = c;
    c = c.next;
  }
  if (!body) return null;
  const first = firstElement(body);
  if (first && first.name === 'Fault' && SOAP_NS.has(first.namespaceUri)) {
    let d = first.firstChild;
    while (d) {
      if (d instanceof XmlElement && (d.name === 'detail' || d.name === 'Detail')) {
        return firstElement(d);
      }
      d = d.next;
    }
    return null;
  }
  return first;
}

function schemaKey(payload: XmlElement): string | undefined {
  const ns = payload.namespaceUri;
  if (ns === STUF_NS) return `${STUF_NS}|stuf`;
  if (ns !== BG_NS && ns !== ZKN_NS) return undefined;
  // Lk01/Lk02 kennisgevingen and ZDS update/creeer messages live in the mutatie schemas.
  const mutation = /Lk0\d$/.test(payload.name) || /_Lk0\d$/.test(payload.name) || /Di0\d$|Du0\d$/.test(payload.name);
  return `${ns}|${mutation ? 'mutation' : 'question'}`;
}
