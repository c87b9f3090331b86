// Audit entries as the write path builds them (write-service.ts afterWrite).
import type { AuditEntry, KlantActie } from '../../../src/klanten/write-ports.ts';

export const KLANT_A = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
export const KLANT_B = '9b2c1d3e-5f6a-4b7c-8d9e-0f1a2b3c4d5e';

export function auditEntry(klantId: string, actie: KlantActie, base = 'https://api.example.nl/pre/api/v1'): AuditEntry {
  const url = `${base}/klanten/${klantId}`;
  const klant = (klantnummer: string) => ({
    url,
    bronorganisatie: '002220647',
    klantnummer,
    subject: 'https://brp.example.nl/api/v1/ingeschrevenpersonen/999993653',
    subjectType: 'natuurlijk_persoon',
  });
  return {
    klantId,
    bron: 'kc',
    applicatieId: 'zaaksysteem',
    applicatieWeergave: 'Zaaksysteem',
    gebruikersId: 'u123',
    gebruikersWeergave: 'Jan Jansen',
    actie,
    actieWeergave: 'Object bijgewerkt',
    resultaat: actie === 'create' ? 201 : actie === 'destroy' ? 204 : 200,
    hoofdObject: url,
    resource: 'klant',
    resourceUrl: url,
    toelichting: 'verhuisd',
    resourceWeergave: '002220647 - K1',
    aanmaakdatum: new Date().toISOString(),
    wijzigingen: {
      oud: actie === 'create' ? null : (klant('K1') as never),
      nieuw: actie === 'destroy' ? null : (klant('K1') as never),
    },
  };
}
