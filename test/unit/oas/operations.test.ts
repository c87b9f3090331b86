import { describe, expect, it } from 'vitest';
import { buildOpenApi } from '../../../src/oas/document.ts';
import { listOperations, matchOperation, servedOperations, toExpressPath } from '../../../src/oas/operations.ts';

describe('operation list', () => {
  it('lists every operation of the served document', () => {
    expect(servedOperations({ strict: false }).map((o) => `${o.method} ${o.path} ${o.operationId}`)).toEqual([
      'GET /klanten klant_list',
      'HEAD /klanten klant_list_head',
      'POST /klanten klant_create',
      'GET /klanten/{klant_uuid}/audittrail audittrail_list',
      'HEAD /klanten/{klant_uuid}/audittrail audittrail_list_head',
      'GET /klanten/{klant_uuid}/audittrail/{uuid} audittrail_read',
      'HEAD /klanten/{klant_uuid}/audittrail/{uuid} audittrail_read_head',
      'GET /klanten/{uuid} klant_read',
      'HEAD /klanten/{uuid} klant_read_head',
      'PUT /klanten/{uuid} klant_update',
      'PATCH /klanten/{uuid} klant_partial_update',
      'DELETE /klanten/{uuid} klant_delete',
      'GET /openapi.json openapi_json',
      'GET /schema/openapi.json schema_openapi_json',
      'GET /schema/openapi.yaml schema_openapi_yaml',
    ]);
  });

  it('lists only the standard operations in strict mode', () => {
    expect(servedOperations({ strict: true }).map((o) => `${o.method} ${o.path}`)).toEqual([
      'GET /klanten',
      'POST /klanten',
      'GET /klanten/{klant_uuid}/audittrail',
      'GET /klanten/{klant_uuid}/audittrail/{uuid}',
      'GET /klanten/{uuid}',
      'PUT /klanten/{uuid}',
      'PATCH /klanten/{uuid}',
      'DELETE /klanten/{uuid}',
    ]);
    expect(servedOperations({ strict: true })).toEqual(listOperations(buildOpenApi({ strict: true })));
  });

  it('converts templates to Express paths', () => {
    expect(toExpressPath('/klanten/{klant_uuid}/audittrail/{uuid}')).toBe('/klanten/:klant_uuid/audittrail/:uuid');
    expect(toExpressPath('/openapi.json')).toBe('/openapi.json');
  });
});

describe('matchOperation', () => {
  const doc = buildOpenApi({ strict: false });
  const id = '8f5c3b2a-1d4e-4f6a-9b7c-0d1e2f3a4b5c';

  it.each([
    ['GET', '/klanten', '/klanten', 'klant_list', {}],
    ['head', '/klanten', '/klanten', 'klant_list_head', {}],
    ['GET', `/klanten/${id}`, '/klanten/{uuid}', 'klant_read', { uuid: id }],
    ['DELETE', `/klanten/${id}`, '/klanten/{uuid}', 'klant_delete', { uuid: id }],
    ['GET', `/klanten/${id}/audittrail`, '/klanten/{klant_uuid}/audittrail', 'audittrail_list', { klant_uuid: id }],
    ['GET', `/klanten/${id}/audittrail/abc`, '/klanten/{klant_uuid}/audittrail/{uuid}', 'audittrail_read', { klant_uuid: id, uuid: 'abc' }],
    ['GET', '/schema/openapi.yaml', '/schema/openapi.yaml', 'schema_openapi_yaml', {}],
  ])('%s %s → %s', (method, path, template, operationId, params) => {
    const m = matchOperation(doc, method, path);
    expect(m.found).toBe(true);
    if (!m.found) return;
    expect(m.match.path).toBe(template);
    expect(m.match.operation.operationId).toBe(operationId);
    expect(m.match.pathParams).toEqual(params);
  });

  it.each([
    ['GET', '/klanten/', 'no-path'],
    ['GET', '/zaken', 'no-path'],
    ['GET', `/klanten/${id}/audittrail/a/b`, 'no-path'],
    ['POST', `/klanten/${id}`, 'no-method'],
    ['PUT', `/klanten/${id}/audittrail`, 'no-method'],
  ])('%s %s is not documented (%s)', (method, path, reason) => {
    const m = matchOperation(doc, method, path);
    expect(m.found).toBe(false);
    if (!m.found) expect(m.reason).toBe(reason);
  });
});
