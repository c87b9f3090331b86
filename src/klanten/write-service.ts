// The write side of the Klanten API resource without HTTP: klant_create, klant_update (PUT),
// klant_partial_update (PATCH) and klant_delete with the standard's business rules.
//
// Order of a write (each step only when the previous passed; nothing before step 4 talks to the
// backend, so a body that fails validation never reaches it):
//   1. body validated against the OAS (schemas.ts); subjectType of PUT/PATCH from the id, which
//      encodes it: a different one is 400 `wijzigen-niet-toegelaten`
//   2. create: subjectType required (a StUF-BG backend stores a klant as NPS, NNP or VES)
//   3. create: `invalid-subject` (neither subject nor subjectIdentificatie; reference rule)
//   4. PUT/PATCH/DELETE: the current state read from the backend (404 when gone); If-Match
//      compared with the ETag of its representation (412); the body merged into it
//      (write-merge.ts); PATCH: the merged groups validated; `invalid-subject` on the result
//   5. kla-002: a new non-empty `subject` must answer 200 (the port's code on `subject`)
//   6. kla-001: the pair claimed and checked, or a klantnummer generated
//   7. the kennisgeving (T / W / V); its refusal becomes 400 / 404 / 409, no answer 502 / 504
//   8. only after the backend confirmed: cache invalidation, audit entry, notification. A create
//      the backend confirmed but the gateway could not read back is a 504 to the consumer, and
//      create-reconciler.ts does step 8 once it finds the klant.
import type { KlantenBackend, StoredKlant } from '../backend/klanten-backend.ts';
import type { Logger } from '../http/index.ts';
import { BackendRejectedError, CreateNotReadBackError } from '../backend/errors.ts';
import type { Principal } from '../auth/index.ts';
import type { KlantData, SubjectType } from '../domain/klant.ts';
import { ApiError, type InvalidParam } from '../http/problem.ts';
import type { KlantIdentity } from '../identity/klant-identity.ts';
import { NotRepresentableError } from '../mapping/index.ts';
import { checkIfMatch } from '../cache/conditional.ts';
import { backendToApiError } from './backend-errors.ts';
import type { CreateReconciler, PendingCreate } from './create-reconciler.ts';
import type { KlantenService } from './klanten-service.ts';
import type { Claim } from './klantnummer-claims.ts';
import { uniqueViolation, type Kla001 } from './klantnummer-uniqueness.ts';
import { renderKlant, type RenderedKlant } from './render.ts';
import { toRepresentation } from './respond.ts';
import { validateKlantBody, type KlantBodyOptions } from './schemas.ts';
import { applyPatch, applyPut, hasContent, isUnder, klantFromCreate } from './write-merge.ts';
import type { AuditEntry, KlantActie, WritePorts } from './write-ports.ts';

export interface WriteRequest {
  requestId: string;
  principal: Principal;
  /** URL of a klant in the representation (the request's public base and the configured link style). */
  klantUrl: (id: string) => string;
  /** Absolute URL of a klant (Location, audit trail, notifications). */
  absoluteKlantUrl: (id: string) => string;
  /** X-Audit-Toelichting ('' when absent). */
  toelichting: string;
  /** If-Match header; undefined when absent or ignored (strict mode). */
  ifMatch?: string | undefined;
}

export interface WriteResult {
  id: string;
  klant: RenderedKlant;
  /** Strong ETag of `klant` as klant_read would send it. */
  etag: string;
  /** The JSON bytes of `klant`. */
  body: Buffer;
}

export interface WriteServiceOptions {
  /** Standard-only mode: klantnummer required on create, unknown fields ignored like the reference. */
  strict: boolean;
}

/** Stands for the klant's id in a recorded klant URL (unknown until the klant is found). */
const KLANT_ID_MARK = 'klant0id0mark';

const ACTIE_WEERGAVE: Record<KlantActie, string> = {
  create: 'Object aangemaakt',
  update: 'Object bijgewerkt',
  partial_update: 'Object deels bijgewerkt',
  destroy: 'Object verwijderd',
};

export class KlantenWriteService {
  private readonly backend: KlantenBackend;
  private readonly identity: KlantIdentity;
  private readonly reads: KlantenService;
  private readonly kla001: Kla001;
  private readonly ports: WritePorts;
  private readonly bodyOptions: KlantBodyOptions;
  private readonly logger: Logger | undefined;
  private readonly reconciler: CreateReconciler | undefined;

  constructor(deps: {
    backend: KlantenBackend;
    identity: KlantIdentity;
    reads: KlantenService;
    kla001: Kla001;
    ports?: WritePorts;
    options: WriteServiceOptions;
    logger?: Logger;
    /** Completes creates accepted but not read back; absent: their trail and notification are lost (logged). */
    reconciler?: CreateReconciler;
  }) {
    this.logger = deps.logger;
    this.reconciler = deps.reconciler;
    this.backend = deps.backend;
    this.identity = deps.identity;
    this.reads = deps.reads;
    this.kla001 = deps.kla001;
    this.ports = deps.ports ?? {};
    this.bodyOptions = deps.options.strict ? { strict: true, unknownFields: 'ignore' } : { strict: false, unknownFields: 'reject' };
  }

  async create(body: unknown, req: WriteRequest): Promise<WriteResult> {
    const v = validateKlantBody(body, 'create', this.bodyOptions);
    if (!v.ok) throw ApiError.validation(v.invalidParams);
    const data = klantFromCreate(v.value);
    if (!data.subjectType) {
      throw ApiError.validation([
        {
          name: 'subjectType',
          code: 'required',
          reason: 'Dit veld is vereist: de backend bewaart een klant als natuurlijk persoon, niet-natuurlijk persoon of vestiging.',
        },
      ]);
    }
    this.checkSubjectGiven(data);
    if (data.subject !== '') await this.checkSubject(data.subject);

    const given = data.klantnummer !== '';
    let stored: StoredKlant | undefined;
    for (let attempt = 0; !stored; attempt++) {
      const { klantnummer, claim } = given
        ? { klantnummer: data.klantnummer, claim: await this.kla001.reserve(data.bronorganisatie, data.klantnummer, undefined, req.requestId) }
        : await this.kla001.allocate(data.bronorganisatie, req.requestId);
      try {
        await this.requireAuditReady();
        stored = await this.backend.create({ ...data, klantnummer }, { requestId: req.requestId });
      } catch (e) {
        // Accepted but not read back: still the 504, while the trail is completed in the background.
        if (e instanceof CreateNotReadBackError) await this.reconcileLater(e, req);
        // The backend refuses a duplicate: if it is the pair, another system took it between our
        // check and the T. A given number is then a kla-001 violation; a generated one is retried.
        if (!(e instanceof BackendRejectedError && e.kind === 'duplicate')) throw this.rejection(e);
        const pairTaken = await this.kla001.isTaken(data.bronorganisatie, klantnummer, undefined, req.requestId);
        if (!pairTaken) throw this.rejection(e);
        if (given) throw uniqueViolation();
        if (attempt >= 5) throw ApiError.conflict('Geen vrij klantnummer gevonden; probeer het opnieuw of geef een klantnummer op.');
      } finally {
        await claim.release().catch(() => undefined);
      }
    }
    const id = await this.identity.idFor(stored.ref);
    const result = this.result(id, stored.data, req);
    await this.afterWrite('create', 201, id, stored.ref.subjectType, null, stored.data, req);
    return result;
  }

  /**
   * Hands a create the backend accepted (but that was not read back) to the reconciler: once it
   * finds the klant, what a create does after the backend confirmed (invalidation, audit entry with
   * the klant as found, notification) is done with this request's principal, URLs and toelichting,
   * dated when the backend accepted it. Resolves once the reconciler has recorded it (Redis).
   */
  private async reconcileLater(e: CreateNotReadBackError, req: WriteRequest): Promise<void> {
    const p = req.principal;
    const context: Record<string, string> = {
      acceptedAt: new Date().toISOString(),
      clientId: p.clientId,
      applicatieWeergave: p.applicatieWeergave,
      userId: p.userId,
      userRepresentation: p.userRepresentation,
      toelichting: req.toelichting,
      klantUrl: req.absoluteKlantUrl(KLANT_ID_MARK),
    };
    if (this.reconciler) {
      await this.reconciler.submit(this.pendingCreate(e.filter, req.requestId, context));
      return;
    }
    this.logger?.error(
      { requestId: req.requestId, bronorganisatie: e.filter.bronorganisatie, klantnummerKnown: true },
      'create accepted by the backend but not read back, and no reconciler: its audit entry and notification are missing',
    );
  }

  /**
   * A pending create from plain data (`context` as reconcileLater makes it): also how another
   * instance completes a create recorded in Redis (create-reconciler.ts `revive`). Only the audit
   * fields of the principal are kept.
   */
  pendingCreate(filter: PendingCreate['filter'], requestId: string, context: Readonly<Record<string, string>>): PendingCreate {
    const field = (name: string): string => context[name] ?? '';
    const principal: Principal = {
      clientId: field('clientId'),
      applicatieWeergave: field('applicatieWeergave'),
      userId: field('userId'),
      userRepresentation: field('userRepresentation'),
      heeftAlleAutorisaties: false,
      scopes: new Set(),
      rightsKey: '',
    };
    const absoluteKlantUrl = (id: string): string => field('klantUrl').replace(KLANT_ID_MARK, id);
    const req: WriteRequest = { requestId, principal, klantUrl: absoluteKlantUrl, absoluteKlantUrl, toelichting: field('toelichting') };
    return {
      filter,
      requestId,
      context,
      complete: async (found: StoredKlant): Promise<void> => {
        const id = await this.identity.idFor(found.ref);
        await this.afterWrite('create', 201, id, found.ref.subjectType, null, found.data, req, field('acceptedAt'));
      },
    };
  }

  async update(id: string, body: unknown, mode: 'update' | 'partial', req: WriteRequest): Promise<WriteResult> {
    // The id encodes the subject type: validate before asking the backend anything.
    const known = await this.identity.resolve(id);
    if (known) this.validateChange(body, mode, known.subjectType);
    const current = await this.current(id, req);
    if (!known) this.validateChange(body, mode, current.ref.subjectType);
    this.checkIfMatch(id, current, req);

    const next = this.nextState(current, body, mode);
    this.checkSubjectGiven(next);
    if (next.subject !== '' && next.subject !== current.data.subject) await this.checkSubject(next.subject);

    const pairChanged = next.bronorganisatie !== current.data.bronorganisatie || next.klantnummer !== current.data.klantnummer;
    const claim: Claim | undefined = pairChanged
      ? await this.kla001.reserve(next.bronorganisatie, next.klantnummer, current.ref, req.requestId)
      : undefined;
    let stored: StoredKlant;
    try {
      await this.requireAuditReady();
      stored = await this.backend.update(current, next, { requestId: req.requestId });
    } catch (e) {
      if (e instanceof BackendRejectedError && e.kind === 'duplicate' && pairChanged) {
        if (await this.kla001.isTaken(next.bronorganisatie, next.klantnummer, current.ref, req.requestId)) throw uniqueViolation();
      }
      throw this.rejection(e);
    } finally {
      await claim?.release().catch(() => undefined);
    }
    const result = this.result(id, stored.data, req);
    const actie = mode === 'update' ? 'update' : 'partial_update';
    await this.afterWrite(actie, 200, id, current.ref.subjectType, current.data, stored.data, req);
    return result;
  }

  /**
   * Every successful write must leave an audit entry: when the audit store cannot take one now
   * (its Redis is down), the write is refused before the backend sees it (503), rather than done
   * without a trail.
   */
  private async requireAuditReady(): Promise<void> {
    const audit = this.ports.audit;
    if (audit?.ready !== undefined && !(await audit.ready())) {
      throw ApiError.serviceUnavailable(5, 'De audit trail is tijdelijk niet beschikbaar; de wijziging is niet uitgevoerd.');
    }
  }

  async remove(id: string, req: WriteRequest): Promise<void> {
    const current = await this.current(id, req);
    this.checkIfMatch(id, current, req);
    await this.requireAuditReady();
    try {
      await this.backend.delete(current, { requestId: req.requestId });
    } catch (e) {
      throw this.rejection(e);
    }
    await this.afterWrite('destroy', 204, id, current.ref.subjectType, current.data, null, req);
  }

  // -------------------------------------------------------------------------------------------

  private validateChange(body: unknown, mode: 'update' | 'partial', subjectType: SubjectType): void {
    const v = validateKlantBody(body, mode, { ...this.bodyOptions, currentSubjectType: subjectType });
    if (!v.ok) throw ApiError.validation(v.invalidParams);
  }

  /** The body (already validated) applied to the current state; PATCH: the merged groups validated. */
  private nextState(current: StoredKlant, body: unknown, mode: 'update' | 'partial'): KlantData {
    const opts = { ...this.bodyOptions, currentSubjectType: current.ref.subjectType };
    if (mode === 'update') {
      const v = validateKlantBody(body, 'update', opts);
      if (!v.ok) throw ApiError.validation(v.invalidParams);
      return applyPut(current.data, v.value);
    }
    const v = validateKlantBody(body, 'partial', opts);
    if (!v.ok) throw ApiError.validation(v.invalidParams);
    const { merged, touched } = applyPatch(current.data, v.value);
    // Check the merged klant as a whole, but hold the patch responsible only for what it set or
    // created: a stored value the OAS would not accept (legacy data) must not block a PATCH of
    // another field.
    const whole = validateKlantBody(merged, 'update', { ...opts, unknownFields: 'reject' });
    if (!whole.ok) {
      const own = whole.invalidParams.filter((p) => isUnder(p.name, touched));
      if (own.length > 0) throw ApiError.validation(own);
    }
    return merged;
  }

  /** The klant as the backend holds it now (every field), or 404. */
  private async current(id: string, req: WriteRequest): Promise<StoredKlant> {
    let found;
    try {
      found = await this.reads.get(id, { requestId: req.requestId });
    } catch (e) {
      throw backendToApiError(e);
    }
    if (!found) throw ApiError.notFound('Niet gevonden.');
    return found.stored;
  }

  /** If-Match (strong): the ETag of the current representation as klant_read sends it to this caller. */
  private checkIfMatch(id: string, current: StoredKlant, req: WriteRequest): void {
    if (req.ifMatch === undefined) return;
    checkIfMatch(req.ifMatch, toRepresentation(renderKlant(req.klantUrl(id), current.data)).etag);
  }

  /** Reference rule: a klant needs a subject or a subjectIdentificatie. */
  private checkSubjectGiven(data: KlantData): void {
    if (hasContent(data.subject) || hasContent(data.subjectIdentificatie)) return;
    throw ApiError.validation([
      { name: 'nonFieldErrors', code: 'invalid-subject', reason: 'subject of subjectIdentificatie moet opgegeven worden.' },
    ]);
  }

  /** kla-002, through the subject-check port (absent: not checked). */
  private async checkSubject(url: string): Promise<void> {
    const checker = this.ports.subjectCheck;
    if (!checker) return;
    const r = await checker.check(url);
    if (!r.ok) throw ApiError.validation([{ name: 'subject', code: r.code, reason: r.reason }]);
  }

  /** A failed write → the problem to answer. */
  private rejection(e: unknown): unknown {
    if (e instanceof NotRepresentableError) {
      const p: InvalidParam = { name: e.path, code: 'invalid', reason: e.reason };
      return ApiError.validation([p]);
    }
    return backendToApiError(e);
  }

  private result(id: string, data: KlantData, req: WriteRequest): WriteResult {
    const klant = renderKlant(req.klantUrl(id), data);
    const rep = toRepresentation(klant);
    return { id, klant, etag: rep.etag, body: rep.body };
  }

  /**
   * After the backend confirmed: invalidate, audit, notify. The write has happened, so a failing
   * neighbour is logged, never turned into an error answer (a client retrying would write again).
   */
  private async afterWrite(
    actie: KlantActie,
    resultaat: number,
    id: string,
    subjectType: SubjectType,
    oud: KlantData | null,
    nieuw: KlantData | null,
    req: WriteRequest,
    aanmaakdatum = new Date().toISOString(),
  ): Promise<void> {
    const url = req.absoluteKlantUrl(id);
    const { cache, audit, notify } = this.ports;
    const state = nieuw ?? oud;
    const settle = async (what: string, p: Promise<void> | undefined): Promise<void> => {
      try {
        await p;
      } catch (err) {
        this.logger?.error({ err, requestId: req.requestId, klant: id, actie }, `${what} after a successful write failed`);
      }
    };
    await settle('cache invalidation', cache?.afterWrite({ id, actie }));
    if (audit) {
      const p = req.principal;
      const entry: AuditEntry = {
        klantId: id,
        bron: 'kc',
        applicatieId: p.clientId,
        applicatieWeergave: p.applicatieWeergave,
        gebruikersId: p.userId,
        gebruikersWeergave: p.userRepresentation,
        actie,
        actieWeergave: ACTIE_WEERGAVE[actie],
        resultaat,
        hoofdObject: url,
        resource: 'klant',
        resourceUrl: url,
        toelichting: req.toelichting,
        resourceWeergave: state ? `${state.bronorganisatie} - ${state.klantnummer}` : '',
        aanmaakdatum,
        wijzigingen: { oud: oud && renderKlant(url, oud), nieuw: nieuw && renderKlant(url, nieuw) },
      };
      await settle('audit trail', audit.record(entry));
    }
    await settle(
      'notification',
      notify?.enqueue({
        kanaal: 'klanten',
        hoofdObject: url,
        resource: 'klant',
        resourceUrl: url,
        actie,
        aanmaakdatum,
        kenmerken: { subjectType },
      }),
    );
  }
}
