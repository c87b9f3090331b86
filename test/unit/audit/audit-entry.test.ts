import { describe, expect, it } from 'vitest';
import { readAuditToelichting, renderAuditEntry } from '../../../src/audit/index.ts';
import { relativeToApiRoot, toStored } from '../../../src/audit/audit-entry.ts';
import { makeLinker } from '../../../src/representation/links.ts';
import { auditEntry, KLANT_A } from './fixtures.ts';

describe('audit entries: stored relative, rendered for the reader', () => {
  it('stores the klant’s own URLs relative to the API root, others as given', () => {
    const stored = toStored(auditEntry(KLANT_A, 'update'), 'e5c4a1d2-0000-4000-8000-000000000001');
    expect(stored.hoofdObject).toBe(`/klanten/${KLANT_A}`);
    expect(stored.resourceUrl).toBe(`/klanten/${KLANT_A}`);
    expect(stored.wijzigingen.oud?.['url']).toBe(`/klanten/${KLANT_A}`);
    expect(stored.wijzigingen.nieuw?.['subject']).toBe('https://brp.example.nl/api/v1/ingeschrevenpersonen/999993653');
    expect(relativeToApiRoot('https://elsewhere.nl/x', KLANT_A)).toBe('https://elsewhere.nl/x');
    expect(relativeToApiRoot(`/api/v1/klanten/${KLANT_A.toUpperCase()}`, KLANT_A)).toBe(`/klanten/${KLANT_A}`);
  });

  it('renders the same entry on each reader’s public base, in OAS property order', () => {
    const stored = toStored(auditEntry(KLANT_A, 'update', 'http://written-here:8000/api/v1'), 'e5c4a1d2-0000-4000-8000-000000000001');
    const direct = renderAuditEntry(stored, makeLinker({ origin: 'https://klanten.gemeente.nl', prefix: '' }, 'absolute').url);
    const nlx = renderAuditEntry(stored, makeLinker({ origin: 'http://nlx-outway', prefix: '/gemeente/klanten' }, 'absolute').url);
    expect(direct.hoofdObject).toBe(`https://klanten.gemeente.nl/api/v1/klanten/${KLANT_A}`);
    expect(nlx.resourceUrl).toBe(`http://nlx-outway/gemeente/klanten/api/v1/klanten/${KLANT_A}`);
    expect(nlx.wijzigingen.nieuw?.['url']).toBe(nlx.resourceUrl);
    expect(nlx.wijzigingen.nieuw?.['subject']).toBe('https://brp.example.nl/api/v1/ingeschrevenpersonen/999993653');
    expect(Object.keys(direct)).toEqual([
      'uuid', 'bron', 'applicatieId', 'applicatieWeergave', 'gebruikersId', 'gebruikersWeergave', 'actie',
      'actieWeergave', 'resultaat', 'hoofdObject', 'resource', 'resourceUrl', 'toelichting', 'resourceWeergave',
      'aanmaakdatum', 'wijzigingen',
    ]);
  });

  it('cuts over-long caller values to the OAS maxLength', () => {
    const e = { ...auditEntry(KLANT_A, 'create'), applicatieWeergave: 'x'.repeat(500), gebruikersId: 'y'.repeat(400) };
    const stored = toStored(e, 'e5c4a1d2-0000-4000-8000-000000000001');
    expect(stored.applicatieWeergave).toHaveLength(200);
    expect(stored.gebruikersId).toHaveLength(255);
  });

  it('reads X-Audit-Toelichting, decoding UTF-8 sent as raw bytes', () => {
    const asNodeSeesIt = Buffer.from('Adres gewijzigd na verhuizing (één)', 'utf8').toString('latin1');
    expect(readAuditToelichting({ 'x-audit-toelichting': asNodeSeesIt })).toBe('Adres gewijzigd na verhuizing (één)');
    expect(readAuditToelichting({ 'x-audit-toelichting': 'plain' })).toBe('plain');
    expect(readAuditToelichting({ 'x-audit-toelichting': 'caf\u00e9' })).toBe('caf\u00e9'); // genuine latin-1
    expect(readAuditToelichting({})).toBe('');
  });
});
