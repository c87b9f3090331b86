// AuditTrail entries as stored and as served.
//
// The write path hands over entries with absolute URLs built on the write request's public base.
// A klant reached through several bases (directly, through NLX, through another gateway) must get
// audit URLs that work for the reader, and the standard wants the ETag to differ per base. So the
// klant's own URLs (hoofdObject, resourceUrl, wijzigingen.oud/nieuw.url) are stored relative to
// the API root (`/klanten/<id>`) and rendered for the reading request's base; any other URL
// (`subject`) is stored and served as given.
import type { AuditEntry } from '../klanten/write-ports.ts';

export type StoredKlantJson = Record<string, unknown>;

export interface StoredAuditEntry {
  uuid: string;
  klantId: string;
  bron: string;
  applicatieId: string;
  applicatieWeergave: string;
  gebruikersId: string;
  gebruikersWeergave: string;
  actie: string;
  actieWeergave: string;
  resultaat: number;
  /** `/klanten/<id>` (relative to the API root) or, if not ours, an absolute URL. */
  hoofdObject: string;
  resource: string;
  resourceUrl: string;
  toelichting: string;
  resourceWeergave: string;
  aanmaakdatum: string;
  wijzigingen: { oud: StoredKlantJson | null; nieuw: StoredKlantJson | null };
}

/** AuditTrail as the OAS renders it (renderAuditEntry emits the OAS' property order). */
export type RenderedAuditEntry = Omit<StoredAuditEntry, 'klantId'>;

/** `actieWeergave` per actie (the labels of the reference implementation). */
export const ACTIE_WEERGAVE: Readonly<Record<string, string>> = {
  create: 'Object aangemaakt',
  list: 'Lijst van objecten opgehaald',
  retrieve: 'Object opgehaald',
  update: 'Object bijgewerkt',
  partial_update: 'Object deels bijgewerkt',
  destroy: 'Object verwijderd',
};

// OAS maxLength of the free-text fields: a longer caller-supplied value is cut, not refused
// (the write already happened; its audit entry must be storable and valid).
const MAX = { applicatieId: 100, applicatieWeergave: 200, gebruikersId: 255, gebruikersWeergave: 255, actie: 50, actieWeergave: 200, resource: 50, resourceWeergave: 200 };

function cut(value: string, max: number): string {
  return value.length <= max ? value : value.slice(0, max);
}

/** The stored form of `entry` under `uuid`. */
export function toStored(entry: AuditEntry, uuid: string): StoredAuditEntry {
  const own = (url: string) => relativeToApiRoot(url, entry.klantId);
  return {
    uuid,
    klantId: entry.klantId.toLowerCase(),
    bron: entry.bron,
    applicatieId: cut(entry.applicatieId, MAX.applicatieId),
    applicatieWeergave: cut(entry.applicatieWeergave, MAX.applicatieWeergave),
    gebruikersId: cut(entry.gebruikersId, MAX.gebruikersId),
    gebruikersWeergave: cut(entry.gebruikersWeergave, MAX.gebruikersWeergave),
    actie: cut(entry.actie, MAX.actie),
    actieWeergave: cut(entry.actieWeergave || (ACTIE_WEERGAVE[entry.actie] ?? ''), MAX.actieWeergave),
    resultaat: entry.resultaat,
    hoofdObject: own(entry.hoofdObject),
    resource: cut(entry.resource, MAX.resource),
    resourceUrl: own(entry.resourceUrl),
    toelichting: entry.toelichting,
    resourceWeergave: cut(entry.resourceWeergave, MAX.resourceWeergave),
    aanmaakdatum: entry.aanmaakdatum,
    wijzigingen: {
      oud: storedKlant(entry.wijzigingen.oud, own),
      nieuw: storedKlant(entry.wijzigingen.nieuw, own),
    },
  };
}

function storedKlant(klant: object | null, own: (url: string) => string): StoredKlantJson | null {
  if (klant === null) return null;
  const json = { ...(klant as StoredKlantJson) };
  if (typeof json['url'] === 'string') json['url'] = own(json['url']);
  return json;
}

/** `/klanten/<id>` when `url` is this klant's URL (any base, absolute or relative), else `url`. */
export function relativeToApiRoot(url: string, klantId: string): string {
  const path = `/klanten/${klantId.toLowerCase()}`;
  const lower = url.toLowerCase();
  const end = lower.replace(/\/+$/, '');
  return end.endsWith(path) ? path : url;
}

/** The served form: our URLs made absolute (or relative, by link style) for the reader's base. */
export function renderAuditEntry(e: StoredAuditEntry, url: (apiPath: string) => string): RenderedAuditEntry {
  const link = (v: string) => (v.startsWith('/') ? url(v) : v);
  const klant = (k: StoredKlantJson | null) => (k !== null && typeof k['url'] === 'string' ? { ...k, url: link(k['url']) } : k);
  return {
    uuid: e.uuid,
    bron: e.bron,
    applicatieId: e.applicatieId,
    applicatieWeergave: e.applicatieWeergave,
    gebruikersId: e.gebruikersId,
    gebruikersWeergave: e.gebruikersWeergave,
    actie: e.actie,
    actieWeergave: e.actieWeergave,
    resultaat: e.resultaat,
    hoofdObject: link(e.hoofdObject),
    resource: e.resource,
    resourceUrl: link(e.resourceUrl),
    toelichting: e.toelichting,
    resourceWeergave: e.resourceWeergave,
    aanmaakdatum: e.aanmaakdatum,
    wijzigingen: { oud: klant(e.wijzigingen.oud), nieuw: klant(e.wijzigingen.nieuw) },
  };
}

/** A parsed line/record that has the fields every reader relies on. */
export function isStoredAuditEntry(value: unknown): value is StoredAuditEntry {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v['uuid'] === 'string' && typeof v['klantId'] === 'string' && typeof v['aanmaakdatum'] === 'string' &&
    typeof v['wijzigingen'] === 'object' && v['wijzigingen'] !== null;
}

/**
 * The X-Audit-Toelichting header as text. HTTP header values reach Node as latin-1; a client that
 * sent UTF-8 (as browsers and most libraries do for non-ASCII) gets its text back decoded.
 */
export function readAuditToelichting(headers: Readonly<Record<string, string | string[] | undefined>>): string {
  const raw = headers['x-audit-toelichting'];
  const value = Array.isArray(raw) ? raw.join(', ') : (raw ?? '');
  if (!/[\u0080-\u00ff]/.test(value)) return value;
  const bytes = Buffer.from(value, 'latin1');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return value;
  }
}
