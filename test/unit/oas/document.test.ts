import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildOpenApi } from '../../../src/oas/document.ts';
import { EXTENSION_MARKER } from '../../../src/oas/marker.ts';
import { HTTP_METHODS } from '../../../src/oas/types.ts';
import type { OasOperation, OasParameter, OasResponse, OpenApiDocument } from '../../../src/oas/types.ts';

const reference = parse(
  readFileSync(new URL('../../../schemas/oas/klanten-api-1.0.0.openapi.yaml', import.meta.url), 'utf8'),
) as OpenApiDocument;
const served = buildOpenApi({ strict: false });
const strict = buildOpenApi({ strict: true });

function op(doc: OpenApiDocument, path: string, method: (typeof HTTP_METHODS)[number]): OasOperation {
  const found = doc.paths[path]?.[method];
  if (!found) throw new Error(`no ${method} ${path}`);
  return found;
}

function resolveParam(doc: OpenApiDocument, p: OasParameter): OasParameter {
  if (p.$ref === undefined) return p;
  const target = doc.components.parameters?.[p.$ref.replace('#/components/parameters/', '')];
  if (!target) throw new Error(`unresolved ${p.$ref}`);
  return target;
}

function resolveResponse(doc: OpenApiDocument, r: OasResponse): OasResponse {
  if (r.$ref === undefined) return r;
  const target = doc.components.responses?.[r.$ref.replace('#/components/responses/', '')];
  if (!target) throw new Error(`unresolved ${r.$ref}`);
  return target;
}

/** Names of the parameters an operation takes (operation + path level). */
function paramNames(doc: OpenApiDocument, path: string, method: (typeof HTTP_METHODS)[number]): string[] {
  const all = [...(doc.paths[path]?.parameters ?? []), ...(op(doc, path, method).parameters ?? [])];
  return all.map((p) => resolveParam(doc, p).name ?? '');
}

function operations(doc: OpenApiDocument): { path: string; method: string; op: OasOperation }[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    HTTP_METHODS.flatMap((method) => (item[method] ? [{ path, method, op: item[method] }] : [])),
  );
}

const klantOps = operations(served).filter(({ path }) => path.startsWith('/klanten'));

describe('buildOpenApi strict', () => {
  it('is the standard document, unmodified', () => {
    expect(strict).toEqual(reference);
  });

  it('is not changed by building the served document', () => {
    buildOpenApi({ strict: false });
    expect(buildOpenApi({ strict: true })).toEqual(reference);
  });
});

describe('buildOpenApi served', () => {
  it('is built once and frozen', () => {
    expect(buildOpenApi({ strict: false })).toBe(served);
    expect(Object.isFrozen(served)).toBe(true);
    expect(Object.isFrozen(served.components.schemas?.['Klant']?.properties)).toBe(true);
  });

  it('keeps every path, operation, parameter and response of the standard', () => {
    for (const { path, method, op: refOp } of operations(reference)) {
      const mine = op(served, path, method as (typeof HTTP_METHODS)[number]);
      expect(mine.operationId).toBe(refOp.operationId);
      expect(mine.security).toEqual(refOp.security);
      for (const status of Object.keys(refOp.responses)) expect(mine.responses[status], `${method} ${path} ${status}`).toBeDefined();
      for (const p of refOp.parameters ?? []) expect(mine.parameters).toContainEqual(p);
    }
    for (const name of Object.keys(reference.components.schemas ?? {})) {
      expect(served.components.schemas?.[name], name).toBeDefined();
    }
  });

  it('marks every operation, parameter, response and schema it adds', () => {
    const refOps = new Set(operations(reference).map(({ path, method }) => `${method} ${path}`));
    const added = operations(served).filter(({ path, method }) => !refOps.has(`${method} ${path}`));
    expect(added.map(({ method, path }) => `${method} ${path}`).sort()).toEqual(
      ['get /openapi.json', 'get /schema/openapi.json', 'get /schema/openapi.yaml', 'head /klanten', 'head /klanten/{uuid}', 'head /klanten/{klant_uuid}/audittrail', 'head /klanten/{klant_uuid}/audittrail/{uuid}'].sort(),
    );
    for (const { op: o } of added) expect(o.description).toContain(EXTENSION_MARKER);
    for (const [kind, refComponents] of [
      ['parameters', reference.components.parameters],
      ['responses', reference.components.responses],
      ['schemas', reference.components.schemas],
      ['headers', reference.components.headers],
      ['requestBodies', reference.components.requestBodies],
    ] as const) {
      const mine = (served.components[kind] ?? {}) as Record<string, { description?: string }>;
      for (const [name, component] of Object.entries(mine)) {
        if (refComponents && name in refComponents) continue;
        expect(component.description, `${kind}.${name}`).toContain(EXTENSION_MARKER);
      }
    }
    expect(served.info.description).toContain(EXTENSION_MARKER);
  });

  it('makes klantnummer optional on create only, and says so', () => {
    const schemas = served.components.schemas ?? {};
    expect(schemas['Klant']?.required).toEqual(['bronorganisatie', 'websiteUrl']);
    expect(schemas['Klant']?.properties?.['klantnummer']?.description).toMatch(/klantbrug-uitbreiding.*kla-001/s);
    expect(schemas['KlantPolymorf']?.required).toEqual(['klantnummer']);
    expect(schemas['KlantAanmaken']?.required).toBeUndefined();
    expect(op(served, '/klanten', 'post').requestBody).toEqual({ $ref: '#/components/requestBodies/KlantAanmaken' });
    expect(served.components.requestBodies?.['Klant']?.content?.['application/json']?.schema).toEqual({
      $ref: '#/components/schemas/KlantPolymorf',
    });
    expect(op(served, '/klanten/{uuid}', 'put').requestBody).toEqual({ $ref: '#/components/requestBodies/Klant' });
    expect(op(served, '/klanten/{uuid}', 'patch').requestBody).toEqual({ $ref: '#/components/requestBodies/KlantDeelsBijwerken' });
    expect(served.components.requestBodies?.['KlantDeelsBijwerken']?.description).toMatch(/geen enkel veld verplicht/);
  });

  it('wires subjectIdentificatie with oneOf + discriminator mapping, disjoint by subjectType', () => {
    const schemas = served.components.schemas ?? {};
    for (const name of ['KlantPolymorf', 'KlantAanmaken']) {
      const s = schemas[name];
      expect(s?.oneOf).toEqual([
        { $ref: '#/components/schemas/natuurlijk_persoon' },
        { $ref: '#/components/schemas/niet_natuurlijk_persoon' },
        { $ref: '#/components/schemas/vestiging' },
        { $ref: '#/components/schemas/KlantZonderSubjectType' },
      ]);
      expect(s?.discriminator).toEqual({
        propertyName: 'subjectType',
        mapping: {
          natuurlijk_persoon: '#/components/schemas/natuurlijk_persoon',
          niet_natuurlijk_persoon: '#/components/schemas/niet_natuurlijk_persoon',
          vestiging: '#/components/schemas/vestiging',
        },
      });
    }
    for (const value of ['natuurlijk_persoon', 'niet_natuurlijk_persoon', 'vestiging']) {
      expect(schemas[value]?.allOf).toContainEqual({
        type: 'object',
        required: ['subjectType'],
        properties: { subjectType: { type: 'string', enum: [value] } },
      });
    }
    expect(schemas['KlantZonderSubjectType']?.allOf?.[1]?.properties?.['subjectType']).toMatchObject({ nullable: true, enum: [null] });
    for (const group of ['NatuurlijkPersoon', 'NietNatuurlijkPersoon', 'Vestiging', 'VerblijfsAdres', 'SubVerblijfBuitenland']) {
      expect(schemas[group]?.nullable, group).toBe(true);
    }
  });

  it('answers klanten as KlantPolymorf in every klant response body', () => {
    const ref = { $ref: '#/components/schemas/KlantPolymorf' };
    expect(op(served, '/klanten/{uuid}', 'get').responses['200']?.content?.['application/json']?.schema).toEqual(ref);
    expect(op(served, '/klanten', 'post').responses['201']?.content?.['application/json']?.schema).toEqual(ref);
    expect(op(served, '/klanten/{uuid}', 'put').responses['200']?.content?.['application/json']?.schema).toEqual(ref);
    expect(op(served, '/klanten/{uuid}', 'patch').responses['200']?.content?.['application/json']?.schema).toEqual(ref);
    expect(op(served, '/klanten', 'get').responses['200']?.content?.['application/json']?.schema?.properties?.['results']?.items).toEqual(ref);
  });

  it('adds HEAD twins with the GET parameters and statuses, and no bodies', () => {
    for (const path of ['/klanten', '/klanten/{uuid}', '/klanten/{klant_uuid}/audittrail', '/klanten/{klant_uuid}/audittrail/{uuid}']) {
      const get = op(served, path, 'get');
      const head = op(served, path, 'head');
      expect(head.operationId).toBe(`${get.operationId}_head`);
      expect(head.parameters).toEqual(get.parameters);
      expect(head.security).toEqual(get.security);
      expect(Object.keys(head.responses)).toEqual(Object.keys(get.responses));
      for (const [status, response] of Object.entries(head.responses)) {
        const resolved = resolveResponse(served, response);
        expect(resolved.content, `${path} HEAD ${status}`).toBeUndefined();
        expect(Object.keys(resolved.headers ?? {})).toEqual(expect.arrayContaining(['API-version', 'X-Request-ID']));
      }
      expect(head.responses['200']?.headers?.['ETag']).toEqual({ $ref: '#/components/headers/ETag' });
    }
    expect(Object.keys(served.paths['/klanten/{uuid}'] ?? {})).toEqual(['get', 'head', 'put', 'patch', 'delete', 'parameters']);
  });

  it('adds fields to list and detail reads (GET and HEAD) only', () => {
    const withFields = klantOps.filter(({ path, method }) => paramNames(served, path, method as never).includes('fields'));
    expect(withFields.map(({ op: o }) => o.operationId).sort()).toEqual(['klant_list', 'klant_list_head', 'klant_read', 'klant_read_head']);
    const fields = served.components.parameters?.['fields'];
    expect(fields).toMatchObject({ in: 'query', required: false });
    expect(fields?.description).toMatch(/Haal Centraal/);
    for (const { op: o } of withFields) expect(o.responses['400']).toBeDefined();
  });

  it.each([
    ['klant_update', '/klanten/{uuid}', 'put'],
    ['klant_partial_update', '/klanten/{uuid}', 'patch'],
    ['klant_delete', '/klanten/{uuid}', 'delete'],
  ] as const)('%s takes If-Match and may answer 412', (_id, path, method) => {
    expect(paramNames(served, path, method)).toContain('If-Match');
    expect(op(served, path, method).responses['412']).toEqual({ $ref: '#/components/responses/412' });
  });

  it.each([
    ['/klanten', 'get'],
    ['/klanten', 'head'],
    ['/klanten/{uuid}', 'get'],
    ['/klanten/{uuid}', 'head'],
    ['/klanten/{klant_uuid}/audittrail/{uuid}', 'get'],
  ] as const)('%s %s is a conditional read: If-None-Match, 304, ETag on 200', (path, method) => {
    expect(paramNames(served, path, method)).toContain('If-None-Match');
    const o = op(served, path, method);
    expect(o.responses['304']).toEqual({ $ref: '#/components/responses/304' });
    expect(o.responses['200']?.headers?.['ETag']).toBeDefined();
    expect(Object.keys(resolveResponse(served, { $ref: '#/components/responses/304' }).headers ?? {})).toEqual(
      expect.arrayContaining(['API-version', 'ETag', 'X-Request-ID']),
    );
  });

  it('puts Idempotency-Key (and its 409/422) on klant_create only', () => {
    const withKey = klantOps.filter(({ path, method }) => paramNames(served, path, method as never).includes('Idempotency-Key'));
    expect(withKey.map(({ op: o }) => o.operationId)).toEqual(['klant_create']);
    expect(op(served, '/klanten', 'post').responses['422']).toEqual({ $ref: '#/components/responses/422' });
  });

  it('documents 413 on body writes, 429/502/503/504 on every klant operation', () => {
    for (const { op: o } of klantOps) {
      const id = o.operationId ?? '';
      const writesBody = ['klant_create', 'klant_update', 'klant_partial_update'].includes(id);
      expect(o.responses['413'] !== undefined, `${id} 413`).toBe(writesBody);
      for (const status of ['429', '502', '503', '504']) expect(o.responses[status], `${id} ${status}`).toBeDefined();
    }
    for (const status of ['413', '422', '502', '503', '504']) {
      const r = served.components.responses?.[status];
      expect(r?.content?.['application/problem+json']?.schema).toEqual({ $ref: '#/components/schemas/Fout' });
      expect(r?.description).toContain(EXTENSION_MARKER);
    }
  });

  it('takes X-Request-ID on every klant operation and sends it (and API-version) on every response', () => {
    for (const { path, method, op: o } of operations(served)) {
      if (path.startsWith('/klanten')) expect(paramNames(served, path, method as never), `${method} ${path}`).toContain('X-Request-ID');
      for (const [status, response] of Object.entries(o.responses)) {
        const headers = Object.keys(resolveResponse(served, response).headers ?? {});
        expect(headers, `${method} ${path} ${status}`).toEqual(expect.arrayContaining(['API-version', 'X-Request-ID']));
      }
    }
  });

  it('publishes itself at /openapi.json with CORS, without authorization', () => {
    for (const path of ['/openapi.json', '/schema/openapi.json', '/schema/openapi.yaml']) {
      const item = served.paths[path] ?? {};
      expect(Object.keys(item)).toEqual(['get']);
      const get = op(served, path, 'get');
      expect(get.security).toEqual([]);
      expect(get.responses['200']?.headers?.['access-control-allow-origin']).toBeDefined();
      expect(get.responses['304']?.headers?.['access-control-allow-origin']).toBeDefined();
    }
    expect(Object.keys(op(served, '/schema/openapi.yaml', 'get').responses['200']?.content ?? {})).toEqual(['application/yaml']);
  });

  it('fills the contact name the API Design Rules ask for, keeping the standard contact', () => {
    expect(served.info.contact).toEqual({ name: 'VNG Realisatie', ...reference.info.contact });
  });
});
