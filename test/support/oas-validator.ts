// Response validator for contract tests: does a response the gateway gave match the OpenAPI
// document it serves? Checks, in order: the operation exists (method + path template), the
// status is documented, every documented response header is present (API-version also has the
// document's version), the Content-Type is a documented media type, and the JSON body is valid
// against the schema — with discriminator resolution (subjectType → natuurlijk_persoon etc.),
// OpenAPI 3.0 `nullable`, and (default) no undocumented properties. A request with `fields`
// gets the partial variant of the schema (nothing required).
//
// Compiled once per document object (WeakMap): pass the same document to every call.
import { Ajv2019 } from 'ajv/dist/2019.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import * as ajvFormats from 'ajv-formats';
import { convertComponents, convertSchema } from '../../src/oas/json-schema.ts';
import { matchOperation } from '../../src/oas/operations.ts';
import { API_BASE_PATH } from '../../src/oas/serve.ts';
import type { OasResponse, OasSchema, OpenApiDocument } from '../../src/oas/types.ts';

export interface ResponseUnderTest {
  method: string;
  /** Concrete request path with query, e.g. `/api/v1/klanten/<uuid>?fields=url`, or an absolute URL. */
  path: string;
  status: number;
  headers: Headers | Record<string, string | string[] | number | undefined>;
  /** Parsed JSON, or the raw body (string / Uint8Array), or undefined for none. */
  body?: unknown;
}

export interface ValidateResponseOptions {
  /** Properties the schema does not describe are problems (default true). */
  closed?: boolean;
  /**
   * Accept what the reference implementation renders but the standard's OAS omits: null for an
   * object group (verblijfsadres, subjectIdentificatie), "" for a choice (geslachtsaanduiding).
   * Meant for strict mode, whose document is the unmodified standard (default false).
   */
  referenceRendering?: boolean;
}

type FormatsPlugin = (ajv: Ajv2019, opts?: { formats?: string[] }) => Ajv2019;
// ajv-formats is CommonJS: its function is the namespace's default (Node) or default.default (types).
const addFormats = ((ajvFormats as unknown as { default: FormatsPlugin & { default?: FormatsPlugin } }).default
  .default ?? (ajvFormats as unknown as { default: FormatsPlugin }).default) as FormatsPlugin;

interface Variant {
  partial: boolean;
  closed: boolean;
  referenceRendering: boolean;
}

interface Compiled {
  ajv: Ajv2019;
  /** defsId of every converted components schema added so far */
  added: Set<string>;
  validators: Map<string, ValidateFunction>;
}

const compiledDocs = new WeakMap<OpenApiDocument, Compiled>();

function defsId(v: Variant): string {
  return `urn:klantbrug:oas:${v.partial ? 'partial' : 'full'}:${v.closed ? 'closed' : 'open'}:${v.referenceRendering ? 'reference' : 'standard'}`;
}

function compiledFor(doc: OpenApiDocument): Compiled {
  let compiled = compiledDocs.get(doc);
  if (!compiled) {
    const ajv = new Ajv2019({ allErrors: true, strict: true, strictTypes: false, strictRequired: false, allowUnionTypes: true });
    addFormats(ajv, { formats: ['uri', 'email', 'uuid', 'date-time', 'date'] });
    // ZGW APIs (the reference implementation included) render an empty text field as "", also
    // where the OAS says format uri/email (`subject`, `emailadres`): "" is their "no value".
    for (const name of ['uri', 'email'] as const) {
      const check = formatCheck(ajv.formats[name]);
      if (!check) throw new Error(`ajv-formats has no ${name}`);
      ajv.addFormat(name, (s: string) => s === '' || check(s));
    }
    compiled = { ajv, added: new Set(), validators: new Map() };
    compiledDocs.set(doc, compiled);
  }
  return compiled;
}

/** The validator of one use-site schema in one variant, compiled on first use. */
function validatorFor(doc: OpenApiDocument, key: string, schema: OasSchema, v: Variant): ValidateFunction {
  const compiled = compiledFor(doc);
  const id = defsId(v);
  const fullKey = `${id} ${key}`;
  let validate = compiled.validators.get(fullKey);
  if (!validate) {
    if (!compiled.added.has(id)) {
      compiled.ajv.addSchema(convertComponents(doc, { defsId: id, ...v }) as object);
      compiled.added.add(id);
    }
    const converted = convertSchema(doc, schema, { defsId: id, ...v });
    validate = compiled.ajv.compile(typeof converted === 'boolean' ? converted : { ...converted });
    compiled.validators.set(fullKey, validate);
  }
  return validate;
}

function formatCheck(format: unknown): ((s: string) => boolean) | undefined {
  if (typeof format === 'function') return (s) => Boolean((format as (s: string) => unknown)(s));
  if (format instanceof RegExp) return (s) => format.test(s);
  const validate = (format as { validate?: unknown } | undefined)?.validate;
  return validate === undefined ? undefined : formatCheck(validate);
}

function normalizeHeaders(headers: ResponseUnderTest['headers']): Map<string, string> {
  const out = new Map<string, string>();
  if (headers instanceof Headers) {
    headers.forEach((value, name) => out.set(name.toLowerCase(), value));
    return out;
  }
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : String(value));
  }
  return out;
}

/** The path below the API base: tries the document's server paths, then /api/v1. */
function relativePath(doc: OpenApiDocument, pathname: string): string | undefined {
  const bases = [...(doc.servers ?? []).map((s) => new URL(s.url, 'http://placeholder').pathname), API_BASE_PATH];
  for (const base of bases.map((b) => b.replace(/\/+$/, ''))) {
    if (pathname === base) return '/';
    if (pathname.startsWith(`${base}/`)) return pathname.slice(base.length);
  }
  return undefined;
}

function resolveResponse(doc: OpenApiDocument, response: OasResponse): OasResponse {
  if (response.$ref === undefined) return response;
  const target = doc.components.responses?.[response.$ref.replace('#/components/responses/', '')];
  if (!target) throw new Error(`unresolved ${response.$ref}`);
  return target;
}

function mediaTypeOf(contentType: string | undefined): string | undefined {
  return contentType?.split(';')[0]?.trim().toLowerCase();
}

function isJsonMediaType(mediaType: string): boolean {
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

function isEmptyBody(body: unknown): boolean {
  if (body === undefined || body === null || body === '') return true;
  return body instanceof Uint8Array && body.byteLength === 0;
}

function parseBody(body: unknown): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (typeof body === 'string' || body instanceof Uint8Array) {
    const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch (e) {
      return { ok: false, reason: (e as Error).message };
    }
  }
  return { ok: true, value: body };
}

/** ajv errors as readable lines, without the noise of the wrappers the conversion adds. */
function formatErrors(errors: ErrorObject[]): string[] {
  const isBelow = (deeper: string, path: string) => deeper.startsWith(`${path}/`);
  const specific = errors.filter(
    (e) =>
      e.keyword !== 'if' &&
      // An object with a failing child loses its annotations, so its other properties look
      // unevaluated too: only the deepest unevaluatedProperties errors are real.
      !(e.keyword === 'unevaluatedProperties' && errors.some((o) => isBelow(o.instancePath, e.instancePath))) &&
      !(e.keyword === 'type' && (e.params as { type?: unknown }).type === 'null') &&
      !(e.keyword === 'anyOf' && errors.some((o) => o !== e && o.keyword !== 'anyOf' && o.instancePath.startsWith(e.instancePath))),
  );
  const lines = (specific.length > 0 ? specific : errors).map((e) => {
    const where = e.instancePath === '' ? 'body' : `body${e.instancePath}`;
    const extra =
      e.keyword === 'unevaluatedProperties'
        ? ` '${String((e.params as { unevaluatedProperty?: unknown }).unevaluatedProperty)}'`
        : e.keyword === 'enum'
          ? ` ${JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues)}`
          : '';
    return `${where} ${e.message ?? e.keyword}${extra}`;
  });
  return [...new Set(lines)];
}

/** Problems of one response against `doc`; an empty list means it matches. */
export function validateResponse(res: ResponseUnderTest, doc: OpenApiDocument, opts: ValidateResponseOptions = {}): string[] {
  const url = new URL(res.path, 'http://placeholder');
  const method = res.method.toUpperCase();
  const rel = relativePath(doc, url.pathname);
  if (rel === undefined) return [`${method} ${url.pathname}: not under the API base (${API_BASE_PATH})`];
  const matched = matchOperation(doc, method, rel);
  if (!matched.found) {
    return [
      matched.reason === 'no-path'
        ? `${method} ${rel}: no path in the document matches`
        : `${method} ${matched.path}: method not documented for this path`,
    ];
  }
  const { operation, path } = matched.match;
  const opName = `${method} ${path} (${operation.operationId ?? '?'})`;
  const statusKey = String(res.status);
  const documented =
    operation.responses[statusKey] ?? operation.responses[`${statusKey[0] ?? ''}XX`] ?? operation.responses['default'];
  if (!documented) {
    return [`${opName}: status ${statusKey} not documented (documented: ${Object.keys(operation.responses).join(', ')})`];
  }
  const response = resolveResponse(doc, documented);
  const headers = normalizeHeaders(res.headers);
  const problems: string[] = [];

  for (const name of Object.keys(response.headers ?? {})) {
    const value = headers.get(name.toLowerCase());
    if (value === undefined) problems.push(`${opName} ${statusKey}: header ${name} missing`);
    else if (name.toLowerCase() === 'api-version' && value !== doc.info.version) {
      problems.push(`${opName} ${statusKey}: API-version is ${value}, document says ${doc.info.version}`);
    }
  }

  const content = method === 'HEAD' ? undefined : response.content;
  if (content === undefined || Object.keys(content).length === 0) {
    if (!isEmptyBody(res.body)) problems.push(`${opName} ${statusKey}: has a body, the document describes none`);
    return problems;
  }
  const mediaType = mediaTypeOf(headers.get('content-type'));
  const media = mediaType === undefined ? undefined : content[mediaType];
  if (mediaType === undefined || !media) {
    problems.push(`${opName} ${statusKey}: Content-Type ${mediaType ?? '(none)'} not documented (documented: ${Object.keys(content).join(', ')})`);
    return problems;
  }
  if (isEmptyBody(res.body)) {
    problems.push(`${opName} ${statusKey}: body missing`);
    return problems;
  }
  if (!isJsonMediaType(mediaType) || media.schema === undefined) return problems;
  const parsed = parseBody(res.body);
  if (!parsed.ok) {
    problems.push(`${opName} ${statusKey}: body is not JSON (${parsed.reason})`);
    return problems;
  }

  const fieldsParam = (operation.parameters ?? []).some((p) => p.name === 'fields' || p.$ref === '#/components/parameters/fields');
  const variant: Variant = {
    partial: fieldsParam && (url.searchParams.get('fields') ?? '') !== '',
    closed: false,
    referenceRendering: opts.referenceRendering ?? false,
  };
  const key = `${method} ${path} ${statusKey} ${mediaType}`;
  // Open schema first: a failing subschema yields no annotations, so a closed schema would also
  // call every property of the failing object "unevaluated". Only a body that passes the open
  // schema is checked for undocumented properties.
  const open = validatorFor(doc, key, media.schema, variant);
  if (!open(parsed.value)) {
    for (const line of formatErrors(open.errors ?? [])) problems.push(`${opName} ${statusKey}: ${line}`);
  } else if (opts.closed ?? true) {
    const closed = validatorFor(doc, key, media.schema, { ...variant, closed: true });
    if (!closed(parsed.value)) {
      for (const line of formatErrors(closed.errors ?? [])) problems.push(`${opName} ${statusKey}: ${line}`);
    }
  }
  return problems;
}
