// The OpenAPI document the gateway serves. Strict mode: the Klanten API 1.0.0 document of the
// standard, unmodified. Otherwise: that document plus exactly what the gateway adds, every
// addition marked "**klantbrug-uitbreiding:**" in its description (see marker.ts).
import { extendComponents } from './extend-components.ts';
import { extendOperations } from './extend-operations.ts';
import { extendSchemas } from './extend-schemas.ts';
import { marked } from './marker.ts';
import { loadReferenceDocument } from './reference-document.ts';
import type { OpenApiDocument } from './types.ts';

export interface BuildOpenApiOptions {
  strict: boolean;
}

const INFO_NOTE = [
  'Deze gateway (klantbrug) biedt de Klanten API 1.0.0 aan op StUF-BG/StUF-ZKN-backends en breidt ',
  'de standaard uit; elke uitbreiding is in haar beschrijving gemarkeerd. In strict-modus serveert de ',
  'gateway het ongewijzigde document van de standaard en worden de uitbreidingen genegeerd.\n\n',
  '* `klantnummer` optioneel bij aanmaken: de gateway kent het toe (kla-001);\n',
  '* `HEAD` op /klanten en /klanten/{uuid};\n',
  '* `fields` (representatie op maat) op klant_list en klant_read;\n',
  '* `If-None-Match`/304 en `ETag` op leesoperaties, `If-Match`/412 op wijzigen en verwijderen;\n',
  '* `Idempotency-Key` op klant_create;\n',
  '* `X-Request-ID` op elk verzoek en antwoord;\n',
  '* de statussen die de gateway zelf kan geven: 413, 422, 429, 502, 503, 504;\n',
  '* subjectIdentificatie gekoppeld via oneOf + discriminator op subjectType (KlantPolymorf);\n',
  '* de waarden die ook de referentie-implementatie geeft: `null` voor een lege groep, `""` voor een ',
  'leeg tekstveld, ook bij format uri/email en bij keuzelijsten;\n',
  '* /openapi.json en /schema/openapi.{json,yaml}: dit document.',
].join('');

function extendInfo(doc: OpenApiDocument): void {
  doc.info.description = `${doc.info.description ?? ''}\n\n${marked(INFO_NOTE)}`;
  // API Design Rules /core/doc-openapi-contact asks for a name; the standard gives only url and email (VNG's).
  doc.info.contact = { name: 'VNG Realisatie', ...doc.info.contact };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

const built = new Map<boolean, OpenApiDocument>();

/** The served document (frozen, shared: clone before changing it). Built once per mode. */
export function buildOpenApi(opts: BuildOpenApiOptions): OpenApiDocument {
  let doc = built.get(opts.strict);
  if (!doc) {
    doc = loadReferenceDocument();
    if (!opts.strict) {
      extendSchemas(doc);
      extendComponents(doc);
      extendOperations(doc);
      extendInfo(doc);
    }
    built.set(opts.strict, deepFreeze(doc));
  }
  return doc;
}
