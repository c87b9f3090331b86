// Rendering of the served document for one public base URL: `servers` points at
// <public base>/api/v1, the rest is buildOpenApi's document. The base comes from forwarded
// headers, so renderings are cached in a bounded LRU (a client cannot grow memory by varying them).
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { stringify } from 'yaml';
import { buildOpenApi } from './document.ts';
import type { OpenApiDocument } from './types.ts';

/** Where the Klanten API lives under the public base (the standard's servers[0].url). */
export const API_BASE_PATH = '/api/v1';
export const OPENAPI_JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
export const OPENAPI_YAML_CONTENT_TYPE = 'application/yaml; charset=utf-8';

export interface RenderedOpenApi {
  readonly json: string;
  readonly yaml: string;
  /** Strong ETags (quoted) of the exact json / yaml bytes. */
  readonly jsonEtag: string;
  readonly yamlEtag: string;
}

export interface OpenApiServer {
  /** The document for a public base such as `https://host/prefix` ('' = relative `/api/v1`). */
  render(publicBase: string): RenderedOpenApi;
  /** The same document as an object (a fresh copy). */
  documentFor(publicBase: string): OpenApiDocument;
}

export interface ServeOpenApiOptions {
  strict: boolean;
  /** Distinct public bases kept rendered (default 32). */
  maxCachedBases?: number;
}

function etagOf(text: string): string {
  return `"${createHash('sha256').update(text).digest('base64url')}"`;
}

/** `https://h/p/` → `https://h/p`; rejects anything that is not '' or an absolute http(s) URL. */
export function normalizePublicBase(publicBase: string): string {
  const trimmed = publicBase.replace(/\/+$/, '');
  if (trimmed === '') return '';
  const url = new URL(trimmed);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`public base must be http(s): ${publicBase}`);
  if (url.search !== '' || url.hash !== '') throw new Error(`public base must not have a query or fragment: ${publicBase}`);
  return trimmed;
}

function withServer(doc: OpenApiDocument, base: string): OpenApiDocument {
  const copy = structuredClone(doc) as OpenApiDocument;
  copy.servers = [{ url: `${base}${API_BASE_PATH}` }];
  return copy;
}

export function serveOpenApi(opts: ServeOpenApiOptions): OpenApiServer {
  const doc = buildOpenApi({ strict: opts.strict });
  const cache = new LRUCache<string, RenderedOpenApi>({ max: opts.maxCachedBases ?? 32 });
  return {
    render(publicBase) {
      const base = normalizePublicBase(publicBase);
      let rendered = cache.get(base);
      if (!rendered) {
        const served = withServer(doc, base);
        const json = JSON.stringify(served);
        // lineWidth 0: no folding, so the YAML stays diff-friendly and byte-stable.
        const yaml = stringify(served, { lineWidth: 0, aliasDuplicateObjects: false });
        rendered = Object.freeze({ json, yaml, jsonEtag: etagOf(json), yamlEtag: etagOf(yaml) });
        cache.set(base, rendered);
      }
      return rendered;
    },
    documentFor(publicBase) {
      return withServer(doc, normalizePublicBase(publicBase));
    },
  };
}
