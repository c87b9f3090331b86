// Operation-level additions of the served (non-strict) document: conditional requests, `fields`,
// Idempotency-Key, X-Request-ID, the error statuses the gateway itself can produce, HEAD on the
// klant resources and the routes that serve this document. What each operation gets is one table.
import {
  HEADER,
  PARAM,
  addRequestIdHeader,
  apiVersionHeader,
  headerRef,
  paramRef,
  responseRef,
} from './extend-components.ts';
import { KLANT_AANMAKEN, KLANT_DEELS_BIJWERKEN, KLANT_POLYMORF } from './extend-schemas.ts';
import { marked, withMarkedNote } from './marker.ts';
import { HTTP_METHODS } from './types.ts';
import type { OasOperation, OasParameter, OasPathItem, OasResponse, OpenApiDocument } from './types.ts';

interface Extras {
  /** A page number past the end is a 404, as in the reference implementation. */
  pageNotFound?: boolean;
  /** The parent klant does not exist → 404. */
  klantNotFound?: boolean;
  /** If-None-Match → 304, ETag on 200. */
  conditionalRead?: boolean;
  /** Haal Centraal `fields` (a bad value is a 400). */
  fields?: boolean;
  /** Has a request body: 413. */
  body?: boolean;
  /** If-Match → 412. */
  ifMatch?: boolean;
  /** Idempotency-Key → 409 (in progress) / 422 (other body). */
  idempotencyKey?: boolean;
  /** 200/201 body is a klant. */
  klantBody?: boolean;
  /** Has a UUID in its path: a malformed one is a 400 (invalidParams name `uuid`, code `invalid`). */
  uuidPath?: boolean;
}

/** What the gateway adds per standard operation; every one of them also gets 502/503/504. */
const EXTRAS: Record<string, Extras> = {
  klant_list: { conditionalRead: true, fields: true, pageNotFound: true },
  klant_read: { conditionalRead: true, fields: true, klantBody: true, uuidPath: true },
  klant_create: { body: true, idempotencyKey: true, klantBody: true },
  klant_update: { body: true, ifMatch: true, klantBody: true, uuidPath: true },
  klant_partial_update: { body: true, ifMatch: true, klantBody: true, uuidPath: true },
  klant_delete: { ifMatch: true, uuidPath: true },
  audittrail_list: { conditionalRead: true, uuidPath: true, klantNotFound: true },
  audittrail_read: { conditionalRead: true, uuidPath: true },
};

/** Statuses every operation that reaches the backend can answer (429 is in the standard already). */
const BACKEND_STATUSES = ['429', '502', '503', '504'];

/** Paths that get a HEAD twin of their GET. */
const HEAD_PATHS = ['/klanten', '/klanten/{uuid}', '/klanten/{klant_uuid}/audittrail', '/klanten/{klant_uuid}/audittrail/{uuid}'];

const klantRef = { $ref: `#/components/schemas/${KLANT_POLYMORF}` };

function hasParam(op: OasOperation, name: string): boolean {
  return (op.parameters ?? []).some((p) => p.name === name || p.$ref === `#/components/parameters/${name}`);
}

function addParam(op: OasOperation, name: string): void {
  if (!hasParam(op, name)) op.parameters = [...(op.parameters ?? []), paramRef(name)];
}

function addResponse(op: OasOperation, status: string): void {
  op.responses[status] ??= responseRef(status);
}

function sortResponses(op: OasOperation): void {
  op.responses = Object.fromEntries(Object.entries(op.responses).sort(([a], [b]) => a.localeCompare(b)));
}

function okResponse(op: OasOperation): OasResponse {
  const ok = op.responses['200'] ?? op.responses['201'];
  if (!ok) throw new Error(`${op.operationId} has no 200/201 response`);
  return ok;
}

function extendOperation(op: OasOperation, extras: Extras): void {
  if (extras.conditionalRead) {
    addParam(op, PARAM.ifNoneMatch);
    addResponse(op, '304');
    const ok = okResponse(op);
    ok.headers = { ...ok.headers, [HEADER.etag]: headerRef(HEADER.etag) };
  }
  if (extras.fields) {
    addParam(op, PARAM.fields);
    addResponse(op, '400');
  }
  if (extras.uuidPath) {
    addResponse(op, '400');
    op.description = withMarkedNote(op.description, 'Een ongeldige UUID in het pad geeft 400 (invalidParams name `uuid`, code `invalid`).');
  }
  if (extras.pageNotFound) {
    addResponse(op, '404');
    op.description = withMarkedNote(op.description, 'Een `page` voorbij de laatste pagina geeft 404 (zoals de referentie-implementatie).');
  }
  if (extras.klantNotFound) {
    addResponse(op, '404');
    op.description = withMarkedNote(op.description, 'Een onbekende klant geeft 404; een bestaande klant zonder audit trail geeft `[]`.');
  }
  if (extras.body) addResponse(op, '413');
  if (extras.ifMatch) {
    addParam(op, PARAM.ifMatch);
    addResponse(op, '412');
  }
  if (extras.idempotencyKey) {
    addParam(op, PARAM.idempotencyKey);
    addResponse(op, '409');
    addResponse(op, '422');
  }
  if (extras.klantBody) {
    const media = okResponse(op).content?.['application/json'];
    if (media) media.schema = structuredClone(klantRef);
  }
  for (const status of BACKEND_STATUSES) addResponse(op, status);
  for (const response of Object.values(op.responses)) addRequestIdHeader(response);
  sortResponses(op);
}

function wireListResults(op: OasOperation): void {
  const results = op.responses['200']?.content?.['application/json']?.schema?.properties?.['results'];
  if (!results) throw new Error('klant_list 200 has no results');
  results.items = structuredClone(klantRef);
}

function resolveResponse(doc: OpenApiDocument, response: OasResponse): OasResponse {
  if (response.$ref === undefined) return response;
  const name = response.$ref.replace('#/components/responses/', '');
  const target = doc.components.responses?.[name];
  if (!target) throw new Error(`unresolved ${response.$ref}`);
  return target;
}

/** HEAD = GET without a body: same parameters, statuses and headers (RFC 9110 §9.3.2). */
function headTwin(doc: OpenApiDocument, get: OasOperation): OasOperation {
  const responses: Record<string, OasResponse> = {};
  for (const [status, response] of Object.entries(get.responses)) {
    const resolved = resolveResponse(doc, response);
    if (resolved.content === undefined) {
      responses[status] = structuredClone(response);
      continue;
    }
    const { content: _content, ...withoutBody } = structuredClone(resolved);
    responses[status] = { ...withoutBody, description: `${resolved.description ?? ''} (HEAD: zonder body)`.trim() };
  }
  return {
    operationId: `${get.operationId}_head`,
    summary: `${get.summary ?? ''} Alleen de headers.`.trim(),
    description: marked(
      `Als ${get.operationId} (GET), maar zonder body: dezelfde parameters, status en headers, ` +
        'waaronder ETag, zodat een client goedkoop kan zien of een representatie gewijzigd is.',
    ),
    ...(get.parameters ? { parameters: structuredClone(get.parameters) } : {}),
    responses,
    tags: structuredClone(get.tags ?? []),
    security: structuredClone(get.security ?? []),
  };
}

/** Reorders a path item's operations in HTTP_METHODS order (HEAD right after GET). */
function orderMethods(item: OasPathItem): OasPathItem {
  const ordered: OasPathItem = {};
  for (const method of HTTP_METHODS) if (item[method]) ordered[method] = item[method];
  for (const [key, value] of Object.entries(item)) if (!(key in ordered)) ordered[key] = value;
  return ordered;
}

export const OPENAPI_TAG = 'openapi';

/** The routes that serve this document: /openapi.json (API Design Rules /core/publish-openapi) and the reference's /schema/openapi.{json,yaml}. */
export const DOCUMENT_ROUTES: readonly { path: string; operationId: string; mediaType: string }[] = [
  { path: '/openapi.json', operationId: 'openapi_json', mediaType: 'application/json' },
  { path: '/schema/openapi.json', operationId: 'schema_openapi_json', mediaType: 'application/json' },
  { path: '/schema/openapi.yaml', operationId: 'schema_openapi_yaml', mediaType: 'application/yaml' },
];

function documentRoute(operationId: string, mediaType: string): OasPathItem {
  const headers = {
    'API-version': apiVersionHeader(),
    'access-control-allow-origin': {
      description: marked('Altijd `*`: het document is voor iedereen leesbaar (API Design Rules).'),
      schema: { type: 'string' },
    },
    [HEADER.etag]: headerRef(HEADER.etag),
    [HEADER.requestId]: headerRef(HEADER.requestId),
  };
  return {
    get: {
      operationId,
      summary: 'Het OpenAPI-document van deze API.',
      description: marked(
        'Het OpenAPI-document zoals de gateway het aanbiedt, met de publieke basis-URL in servers. ' +
          'Openbaar: geen autorisatie nodig. Met If-None-Match: 304 als het document niet gewijzigd is.',
      ),
      tags: [OPENAPI_TAG],
      security: [],
      responses: {
        '200': {
          description: marked('Het OpenAPI-document.'),
          headers: structuredClone(headers),
          content: { [mediaType]: { schema: { type: mediaType === 'application/json' ? 'object' : 'string' } } },
        },
        '304': {
          description: marked('Not modified: de ETag van het document komt voor in If-None-Match. Zonder body.'),
          headers: structuredClone(headers),
        },
        '429': responseRef('429'),
        '500': responseRef('500'),
        '503': responseRef('503'),
      },
    },
  };
}

function pathItem(doc: OpenApiDocument, path: string): OasPathItem {
  const item = doc.paths[path];
  if (!item) throw new Error(`OAS has no path ${path}`);
  return item;
}

export function extendOperations(doc: OpenApiDocument): void {
  for (const [path, item] of Object.entries(doc.paths)) {
    item.parameters = [...(item.parameters ?? []), paramRef(PARAM.requestId) as OasParameter];
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!op) continue;
      const extras = op.operationId === undefined ? undefined : EXTRAS[op.operationId];
      if (!extras) throw new Error(`no extension table entry for ${method.toUpperCase()} ${path}`);
      extendOperation(op, extras);
      if (op.operationId === 'klant_list') wireListResults(op);
      if (op.operationId === 'klant_create') op.requestBody = { $ref: `#/components/requestBodies/${KLANT_AANMAKEN}` };
      if (op.operationId === 'klant_partial_update') {
        op.requestBody = { $ref: `#/components/requestBodies/${KLANT_DEELS_BIJWERKEN}` };
      }
    }
  }
  for (const path of HEAD_PATHS) {
    const item = pathItem(doc, path);
    if (!item.get) throw new Error(`OAS has no GET ${path}`);
    item.head = headTwin(doc, item.get);
    doc.paths[path] = orderMethods(item);
  }
  for (const route of DOCUMENT_ROUTES) {
    // Only `get` in these path items: API Design Rules' paths-open-api-json-resource-has-get.
    doc.paths[route.path] = documentRoute(route.operationId, route.mediaType);
  }
  doc.tags = [
    ...(doc.tags ?? []),
    { name: OPENAPI_TAG, description: withMarkedNote(undefined, 'Het OpenAPI-document van deze API.') },
  ];
}
