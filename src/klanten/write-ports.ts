// What the write path needs from its neighbours, declared here so the write service depends on
// small interfaces, not on their modules: the audit trail (src/audit), notifications
// (src/notifications), the kla-002 subject check (subject-check.ts) and the representation cache
// (src/cache). The composition root (gateway.ts) passes implementations; absent ones are no-ops.
//
// Order after a successful backend write (write-service.ts): cache invalidation, audit entry,
// notification — all before the response is sent. A write the backend refused or did not answer
// reaches none of them.
import type { SubjectType } from '../domain/klant.ts';
import type { RenderedKlant } from './render.ts';

export type KlantActie = 'create' | 'update' | 'partial_update' | 'destroy';

/**
 * One AuditTrail entry as the OAS describes it (schema AuditTrail) without `uuid`, which the
 * trail assigns, plus `klantId` (the uuid of the klant, to list entries per klant).
 */
export interface AuditEntry {
  klantId: string;
  bron: 'kc';
  applicatieId: string;
  applicatieWeergave: string;
  gebruikersId: string;
  gebruikersWeergave: string;
  actie: KlantActie;
  actieWeergave: string;
  /** HTTP status of the successful answer: 201, 200 or 204. */
  resultaat: number;
  /** Absolute URL of the klant (hoofdObject and resource are the same resource here). */
  hoofdObject: string;
  resource: 'klant';
  resourceUrl: string;
  /** The X-Audit-Toelichting header ('' when absent). */
  toelichting: string;
  /** `{bronorganisatie} - {klantnummer}` (reference implementation). */
  resourceWeergave: string;
  /** ISO 8601 instant of the write. */
  aanmaakdatum: string;
  wijzigingen: { oud: RenderedKlant | null; nieuw: RenderedKlant | null };
}

export interface AuditPort {
  /** Resolves once the entry is stored durably. */
  record(entry: AuditEntry): Promise<void>;
  /**
   * False when the store cannot take an entry now: the write is then refused before the backend
   * sees it. A promise while that is being decided (a Redis reconnect in progress).
   */
  ready?(): boolean | Promise<boolean>;
}

/** A notification for kanaal `klanten` (Notificaties API 1.0 `Kennisgeving`). */
export interface KlantNotification {
  kanaal: 'klanten';
  hoofdObject: string;
  resource: 'klant';
  resourceUrl: string;
  actie: KlantActie;
  aanmaakdatum: string;
  kenmerken: { subjectType: SubjectType | '' };
}

export interface NotifyPort {
  /** Durable outbox: resolves once stored; never rejects because the Notificaties API is down. */
  enqueue(notification: KlantNotification): Promise<void>;
}

export type SubjectCheckResult = { ok: true } | { ok: false; code: string; reason: string };

export interface SubjectCheckPort {
  /** kla-002: does the URL answer HTTP 200 (within the timeout, following a few redirects)? */
  check(url: string): Promise<SubjectCheckResult>;
}

/** What a successful write changed, for the representation cache. */
export interface WriteInvalidation {
  /** The klant's uuid. */
  id: string;
  actie: KlantActie;
}

export interface CacheInvalidationPort {
  /**
   * Drop every cached representation the write makes stale (the klant, every list page) on every
   * instance, before the write's response is sent. Should not reject for a cache that is down.
   */
  afterWrite(change: WriteInvalidation): Promise<void>;
}

export interface WritePorts {
  audit?: AuditPort;
  notify?: NotifyPort;
  subjectCheck?: SubjectCheckPort;
  cache?: CacheInvalidationPort;
}
