// Test data and observers for the write path: valid klant bodies per subject type (unique BSN /
// RSIN / vestigingsnummer per call), the simulator's stored klantnummers, and recording ports
// (audit trail, notifications, cache invalidation) that show what a write claimed to have done.
import type { SubjectType } from '../../src/domain/klant.ts';
import type { EntityCode, SimObject, Simulator } from '../../src/simulator/index.ts';
import type { AuditEntry, KlantNotification, WritePorts } from '../../src/klanten/write-ports.ts';
import { attrValue } from '../../src/stuf/xml-node.ts';

let seq = 0;

/** A 9-digit number passing the 11-proef (BSN, RSIN), different on every call. */
export function elevenProof(): string {
  for (;;) {
    seq++;
    const head = String(91_000_000 + ((seq * 7919) % 8_000_000)).padStart(8, '0');
    let sum = 0;
    for (let i = 0; i < 8; i++) sum += Number(head[i]) * (9 - i);
    const last = sum % 11;
    if (last < 10) return head + String(last);
  }
}

export const BRON = '002220647';
export const OTHER_BRON = '802245237';

const verblijfsadres = {
  aoaIdentificatie: '0344200000123456',
  wplWoonplaatsNaam: 'Utrecht',
  gorOpenbareRuimteNaam: 'Kerkstraat',
  aoaPostcode: '3511AB',
  aoaHuisnummer: 12,
  aoaHuisletter: 'a',
  aoaHuisnummertoevoeging: 'bis',
  inpLocatiebeschrijving: '',
};

export function klantBody(subjectType: SubjectType, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const common = {
    bronorganisatie: BRON,
    websiteUrl: 'https://www.example.nl/klant',
    voornaam: 'Jan',
    voorvoegselAchternaam: 'van',
    achternaam: 'Dijk',
    telefoonnummer: '0612345678',
    emailadres: 'jan@example.nl',
    functie: 'inwoner',
    adres: { straatnaam: 'Kerkstraat', huisnummer: 12, huisletter: 'a', huisnummertoevoeging: '', postcode: '3511AB', woonplaatsnaam: 'Utrecht', landcode: 'NL' },
    subjectType,
  };
  const subject: Record<SubjectType, Record<string, unknown>> = {
    natuurlijk_persoon: {
      inpBsn: elevenProof(),
      geslachtsnaam: 'Dijk',
      voorvoegselGeslachtsnaam: 'van',
      voorletters: 'J',
      voornamen: 'Jan',
      geslachtsaanduiding: 'm',
      geboortedatum: '1980-02-03',
      verblijfsadres,
    },
    niet_natuurlijk_persoon: {
      innNnpId: elevenProof(),
      statutaireNaam: 'Stichting Test',
      innRechtsvorm: 'stichting',
      bezoekadres: 'Kerkstraat 12, Utrecht',
    },
    vestiging: { vestigingsNummer: `0000${elevenProof().slice(1)}`, handelsnaam: ['Bakkerij De Test', 'De Test'], verblijfsadres },
  };
  return { ...common, subjectIdentificatie: subject[subjectType], ...extra };
}

export const ENTITY: Record<SubjectType, EntityCode> = { natuurlijk_persoon: 'NPS', niet_natuurlijk_persoon: 'NNP', vestiging: 'VES' };
export const LK01: Record<SubjectType, string> = { natuurlijk_persoon: 'npsLk01', niet_natuurlijk_persoon: 'nnpLk01', vestiging: 'vesLk01' };
export const SUBJECT_TYPES: SubjectType[] = ['natuurlijk_persoon', 'niet_natuurlijk_persoon', 'vestiging'];

/** Value of an extraElement of a stored simulator object. */
export function extraOf(o: SimObject, naam: string): string | undefined {
  for (const c of o.element.children) {
    if (c.name !== 'extraElementen') continue;
    for (const x of c.children) if (attrValue(x, 'naam') === naam) return x.text.trim();
  }
  return undefined;
}

/** Every stored object (all entities) with this bronorganisatie + klantnummer. */
export function storedWith(sim: Simulator, bron: string, klantnummer: string): SimObject[] {
  return (['NPS', 'NNP', 'VES'] as const).flatMap((e) =>
    sim.objects(e).filter((o) => extraOf(o, 'bronorganisatie') === bron && extraOf(o, 'klantnummer') === klantnummer),
  );
}

/** Number of StUF messages the simulator received, per element name (all when none given). */
export function messageCount(sim: Simulator, ...elements: string[]): number {
  const by = sim.stats().requests.byMessage;
  if (elements.length === 0) return sim.stats().requests.total;
  return elements.reduce((n, e) => n + (by[e] ?? 0), 0);
}

/**
 * Write-side neighbours that record what the write path told them (audit trail, notifications,
 * subject checks). Cache invalidation stays the gateway's real one; `attach` lets counts() read
 * its invalidation counter.
 */
export class RecordingPorts {
  readonly audits: AuditEntry[] = [];
  readonly notifications: KlantNotification[] = [];
  readonly subjectChecks: string[] = [];
  private invalidationCount: () => number = () => 0;

  ports(subjectCheck?: WritePorts['subjectCheck']): WritePorts {
    return {
      audit: { record: async (e) => void this.audits.push(e) },
      notify: { enqueue: async (n) => void this.notifications.push(n) },
      subjectCheck: {
        check: async (url) => {
          this.subjectChecks.push(url);
          if (subjectCheck) return subjectCheck.check(url);
          // Stands in for kla-002's fetch: a URL naming a missing resource does not answer 200.
          return url.includes('bestaat-niet') ? { ok: false, code: 'bad-url', reason: 'Het subject gaf HTTP 404.' } : { ok: true };
        },
      },
    };
  }

  /** Count the representation cache's invalidations of this gateway. */
  attach(gateway: { cache: { counters: { invalidations: number } } }): void {
    this.invalidationCount = () => gateway.cache.counters.invalidations;
  }

  counts(): { audits: number; notifications: number; invalidations: number } {
    return { audits: this.audits.length, notifications: this.notifications.length, invalidations: this.invalidationCount() };
  }
}
