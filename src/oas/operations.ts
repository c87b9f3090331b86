// The operations a document describes (method + path template), and matching a concrete request
// path against them. Used by the contract tests ("every route is documented") and the response
// validator.
import { buildOpenApi } from './document.ts';
import { HTTP_METHODS } from './types.ts';
import type { HttpMethod, OasOperation, OpenApiDocument } from './types.ts';

export interface OasOperationRef {
  /** Upper case: GET, HEAD, POST... */
  method: Uppercase<HttpMethod>;
  /** Template relative to the server URL, as in the document: `/klanten/{uuid}`. */
  path: string;
  operationId: string;
}

export function listOperations(doc: OpenApiDocument): OasOperationRef[] {
  const out: OasOperationRef[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (op) out.push({ method: method.toUpperCase() as Uppercase<HttpMethod>, path, operationId: op.operationId ?? '' });
    }
  }
  return out;
}

const listed = new Map<boolean, readonly OasOperationRef[]>();

/** The operation list of the served document of a mode (memoized, frozen). */
export function servedOperations(opts: { strict: boolean }): readonly OasOperationRef[] {
  let ops = listed.get(opts.strict);
  if (!ops) {
    ops = Object.freeze(listOperations(buildOpenApi(opts)).map((op) => Object.freeze(op)));
    listed.set(opts.strict, ops);
  }
  return ops;
}

/** `/klanten/{uuid}` → `/klanten/:uuid` (Express route syntax). */
export function toExpressPath(template: string): string {
  return template.replace(/\{([^}]+)\}/g, ':$1');
}

interface CompiledTemplate {
  path: string;
  regex: RegExp;
  params: string[];
  /** Literal segments count: more literal = more specific. */
  literals: number;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compileTemplate(path: string): CompiledTemplate {
  const params: string[] = [];
  let literals = 0;
  const source = path
    .split('/')
    .map((segment) =>
      segment.replace(/\{([^}]+)\}|[^{]+/g, (part, name: string | undefined) => {
        if (name !== undefined) {
          params.push(name);
          return '([^/]+)';
        }
        literals++;
        return escapeRegex(part);
      }),
    )
    .join('/');
  return { path, regex: new RegExp(`^${source}$`), params, literals };
}

const templateCache = new WeakMap<OpenApiDocument, CompiledTemplate[]>();

function templatesOf(doc: OpenApiDocument): CompiledTemplate[] {
  let templates = templateCache.get(doc);
  if (!templates) {
    templates = Object.keys(doc.paths)
      .map(compileTemplate)
      .sort((a, b) => b.literals - a.literals);
    templateCache.set(doc, templates);
  }
  return templates;
}

export interface MatchedOperation {
  path: string;
  operation: OasOperation;
  pathParams: Record<string, string>;
}

export type MatchResult =
  | { found: true; match: MatchedOperation }
  | { found: false; reason: 'no-path' }
  | { found: false; reason: 'no-method'; path: string };

/** Match a path relative to the server URL (no query) and a method against the document. */
export function matchOperation(doc: OpenApiDocument, method: string, relativePath: string): MatchResult {
  for (const template of templatesOf(doc)) {
    const m = template.regex.exec(relativePath);
    if (!m) continue;
    const item = doc.paths[template.path];
    const op = item?.[method.toLowerCase() as HttpMethod];
    if (!op) return { found: false, reason: 'no-method', path: template.path };
    const pathParams: Record<string, string> = {};
    template.params.forEach((name, i) => {
      pathParams[name] = decodeURIComponent(m[i + 1] ?? '');
    });
    return { found: true, match: { path: template.path, operation: op, pathParams } };
  }
  return { found: false, reason: 'no-path' };
}
