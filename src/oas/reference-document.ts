// The Klanten API 1.0.0 OpenAPI document exactly as the standard publishes it (the project's copy
// in schemas/oas, see schemas/README.md). Read and parsed once; callers get a private deep copy.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { OpenApiDocument } from './types.ts';

export const REFERENCE_OAS_FILE = new URL('../../schemas/oas/klanten-api-1.0.0.openapi.yaml', import.meta.url);

let parsed: OpenApiDocument | undefined;

/** A fresh deep copy of the standard's document (the parse is cached, the copy is not). */
export function loadReferenceDocument(): OpenApiDocument {
  parsed ??= parse(readFileSync(REFERENCE_OAS_FILE, 'utf8')) as OpenApiDocument;
  return structuredClone(parsed);
}
