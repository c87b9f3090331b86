// KlantenBackend over a StUF backend: turns list/get into Lv01 questions (paging with
// indicatorVervolgvraag) per entity type, and answers back into KlantData via the mapping;
// create/update/delete into Lk01 kennisgevingen (T, W with the old/new pair, V) confirmed by a Bv0x.
// It is the only module that uses both the StUF client and the mapper. StUF errors leave it as the
// backend boundary's errors (stuf-write-faults.ts), whether or not the client already translated them.
import type { KlantData, SubjectType } from '../domain/klant.ts';
import type { KlantMapper } from '../mapping/index.ts';
import type { StufClient } from '../stuf/index.ts';
import { attrValue, type XmlNode } from '../stuf/xml-node.ts';
import type { BackendRef, KlantFilter, KlantenBackend, ReadOptions, StoredKlant } from './klanten-backend.ts';
import { BackendAnswerError, BackendRejectedError, BackendUnavailableError, CreateNotReadBackError } from './errors.ts';
import { toBackendWriteError } from './stuf-write-faults.ts';
import type { Mutatiesoort } from '../stuf/index.ts';

export interface StufBackendOptions {
  /** maximumAantal per question while scanning a list. */
  listBatchSize: number;
  /** Safety bound on follow-up questions per entity for one list (a backend that never says "done"). */
  maxListPages: number;
  /** One list request's whole budget across its pages and parallel questions (0 = none). */
  listTimeoutMs?: number;
  /**
   * After a T the backend's Bv03 does not name the new key: the object is found back by
   * bronorganisatie + klantnummer. Backends that apply kennisgevingen asynchronously may need a
   * moment; the search is repeated after these delays (ms) before giving up. Default [50, 200, 500].
   */
  findBackDelaysMs?: readonly number[];
}

export class StufKlantenBackend implements KlantenBackend {
  private readonly client: StufClient;
  private readonly mapper: KlantMapper;
  private readonly opts: StufBackendOptions;

  constructor(client: StufClient, mapper: KlantMapper, opts: StufBackendOptions) {
    this.client = client;
    this.mapper = mapper;
    this.opts = opts;
  }

  async list(filter: KlantFilter, opts: ReadOptions = {}): Promise<StoredKlant[]> {
    try {
      return await this.listAll(filter, opts);
    } catch (e) {
      throw toBackendWriteError(e, 'question');
    }
  }

  private async listAll(filter: KlantFilter, opts: ReadOptions): Promise<StoredKlant[]> {
    const types = this.mapper.entities
      .map((e) => e.subjectType)
      .filter((t) => !filter.subjectType || filter.subjectType === t);
    // Each page has its own answer timeout, but a backend that keeps answering in time with yet
    // another page would hold the consumer (and a backend slot) for maxListPages round trips:
    // the list as a whole gets a deadline too, checked before every next page.
    const deadline = this.opts.listTimeoutMs ? Date.now() + this.opts.listTimeoutMs : Infinity;
    // The questions are independent: ask them in parallel.
    const perQuestion = await Promise.all(questionsFor(this.mapper, types, filter).map((q) => this.listQuestion(q, filter, opts, deadline)));
    return perQuestion.flat();
  }

  private async listQuestion(q: ListQuestion, filter: KlantFilter, opts: ReadOptions, deadline: number): Promise<StoredKlant[]> {
    const { gelijk, types } = q;
    const [subjectType] = types;
    if (subjectType === undefined) return [];
    const entity = this.mapper.entity(subjectType);
    const fields = scopeFields(opts.fields, filter);
    const scope = entity.shared ? this.mapper.scopeFor(types, fields) : this.mapper.scope(subjectType, fields);
    const out: StoredKlant[] = [];
    const seen = new Set<string>();
    const pageEnds = new Set<string>();
    let start: XmlNode | undefined;
    for (let page = 0; page < this.opts.maxListPages; page++) {
      if (page > 0 && Date.now() >= deadline) {
        throw new BackendUnavailableError(504, `De backend gaf de ${entity.entiteittype}-lijst niet binnen ${this.opts.listTimeoutMs} ms volledig (${page} pagina's).`);
      }
      const answer = await this.client.question({
        namespace: entity.namespace,
        messageName: entity.questionMessage,
        entiteittype: entity.entiteittype,
        sortering: entity.sortering,
        indicatorVervolgvraag: start !== undefined,
        maximumAantal: this.opts.listBatchSize,
        gelijk,
        scope,
        start,
        correlationId: opts.requestId,
      });
      for (const object of answer.objects) {
        // One entity for several subject types (CTP): the object says which one it is.
        const actual = entity.shared ? this.mapper.subjectTypeOf(object) : subjectType;
        if (actual === null || !types.includes(actual)) continue;
        const stored = this.toStored(actual, object);
        if (seen.has(stored.ref.key)) continue; // a backend repeating the start object
        seen.add(stored.ref.key);
        if (this.mapper.matches(stored.data, filter)) out.push(stored);
      }
      const last = answer.objects.at(-1);
      if (!answer.indicatorVervolgvraag || !last) return out;
      // A backend that announces more but answers a page it sent before (ignoring `start`) does not
      // advance: stop now rather than ask it maxListPages times for one consumer request.
      const end = attrValue(last, 'sleutelVerzendend') ?? '';
      if (pageEnds.has(end)) throw new BackendAnswerError(`backend announced more ${entity.entiteittype} objects but repeated a page`);
      pageEnds.add(end);
      start = last;
    }
    throw new BackendAnswerError(`backend kept announcing more ${entity.entiteittype} objects after ${this.opts.maxListPages} pages`);
  }

  async get(ref: BackendRef, opts: ReadOptions = {}): Promise<StoredKlant | null> {
    try {
      return await this.getOne(ref, opts);
    } catch (e) {
      throw toBackendWriteError(e, 'question');
    }
  }

  private async getOne(ref: BackendRef, opts: ReadOptions): Promise<StoredKlant | null> {
    const entity = this.mapper.entity(ref.subjectType);
    const answer = await this.client.question({
      namespace: entity.namespace,
      messageName: entity.questionMessage,
      entiteittype: entity.entiteittype,
      sortering: entity.sortering,
      indicatorVervolgvraag: false,
      maximumAantal: 2,
      gelijk: this.mapper.gelijkByKey(ref.subjectType, ref.key),
      scope: this.mapper.scope(ref.subjectType, opts.fields),
      correlationId: opts.requestId,
    });
    const matching = answer.objects.filter((o) => attrValue(o, 'sleutelVerzendend') === ref.key);
    // Lenient: a backend that answers the right object without repeating its key.
    const object = matching[0] ?? (answer.objects.length === 1 ? answer.objects[0] : undefined);
    if (!object) return null;
    // An id names its subjectType: a shared entity's object of another subject type is not this klant.
    if (entity.shared && this.mapper.subjectTypeOf(object) !== ref.subjectType) return null;
    return { ref, data: this.mapper.toKlant(ref.subjectType, object) };
  }

  /**
   * T kennisgeving, then the new object found back by bronorganisatie + klantnummer (unique by
   * kla-001, which the caller has checked and claimed) to learn the key the backend gave it.
   */
  async create(data: KlantData, opts: ReadOptions = {}): Promise<StoredKlant> {
    const subjectType = requireSubjectType(data);
    const object = this.mapper.toObject(subjectType, data, { verwerkingssoort: 'T' });
    await this.send(subjectType, 'T', [object], opts);
    return this.findBack(subjectType, data, opts);
  }

  /**
   * W kennisgeving carrying only what differs between `current` (as read, the old object the
   * backend compares with its own state: a concurrent change answers "object is gewijzigd") and
   * `next`; then the stored state read back. Nothing changed: no kennisgeving at all.
   */
  async update(current: StoredKlant, next: KlantData, opts: ReadOptions = {}): Promise<StoredKlant> {
    const { subjectType, key } = current.ref;
    if (next.subjectType !== subjectType) {
      throw new BackendRejectedError('invalid', `Een ${subjectType} kan niet in een ander subjectType veranderen.`);
    }
    const [oud, nieuw] = this.mapper.toChange(subjectType, current.data, next, key);
    if (oud.children.length > 0 || nieuw.children.length > 0) await this.send(subjectType, 'W', [oud, nieuw], opts);
    // The answer reflects what the backend holds (it may normalise); the write itself succeeded,
    // so a failing read-back falls back to what was sent.
    try {
      const stored = await this.getOne(current.ref, opts);
      if (!stored) throw new BackendRejectedError('not_found', 'Het object is na de wijziging niet meer gevonden.');
      return stored;
    } catch (e) {
      if (e instanceof BackendRejectedError) throw e;
      return { ref: current.ref, data: next };
    }
  }

  /** V kennisgeving addressed by the backend's key. */
  async delete(current: StoredKlant, opts: ReadOptions = {}): Promise<void> {
    const { subjectType, key } = current.ref;
    const object = this.mapper.toObject(subjectType, current.data, { verwerkingssoort: 'V', key });
    await this.send(subjectType, 'V', [object], opts);
  }

  private async send(subjectType: SubjectType, mutatiesoort: Mutatiesoort, objects: XmlNode[], opts: ReadOptions): Promise<void> {
    const entity = this.mapper.entity(subjectType);
    try {
      await this.client.kennisgeving({
        namespace: entity.namespace,
        messageName: entity.kennisgevingMessage,
        entiteittype: entity.entiteittype,
        mutatiesoort,
        objects,
        correlationId: opts.requestId,
      });
    } catch (e) {
      throw toBackendWriteError(e, 'kennisgeving');
    }
  }

  /**
   * After the backend confirmed a T, the new object is read back (for its key, hence its id). That
   * question is retried on any failure — the write is done, a garbled or faulty answer to the
   * read-back must not make the consumer believe it failed. When it keeps failing the answer is a
   * 504 ("outcome unknown" to the consumer) whose detail says where to find the klant.
   */
  private async findBack(subjectType: SubjectType, data: KlantData, opts: ReadOptions): Promise<StoredKlant> {
    const filter = { subjectType, bronorganisatie: data.bronorganisatie, klantnummer: data.klantnummer };
    const delays = this.opts.findBackDelaysMs ?? [50, 200, 500];
    let lastError: unknown;
    for (let attempt = 0; ; attempt++) {
      try {
        const found = await this.list(filter, { requestId: opts.requestId });
        if (found.length === 1 && found[0]) return found[0];
        if (found.length > 1) {
          throw new BackendAnswerError(`backend holds ${found.length} ${subjectType} objects with one bronorganisatie + klantnummer`);
        }
        lastError = undefined;
      } catch (e) {
        if (e instanceof BackendAnswerError) throw e;
        lastError = e;
      }
      const delay = delays[attempt];
      if (delay === undefined) break;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
    // Typed, with the filter: the write path keeps looking in the background (create-reconciler.ts).
    throw new CreateNotReadBackError(
      filter,
      `De backend heeft de klant aangenomen (bronorganisatie ${data.bronorganisatie}, klantnummer ${data.klantnummer}), ` +
        'maar gaf hem bij teruglezen niet terug; zoek hem op met die twee filters.',
      { cause: lastError },
    );
  }

  async ping(): Promise<void> {
    const first = this.mapper.entities[0];
    if (!first) return;
    await this.client.question({
      namespace: first.namespace,
      messageName: first.questionMessage,
      entiteittype: first.entiteittype,
      sortering: first.sortering,
      indicatorVervolgvraag: false,
      maximumAantal: 1,
      gelijk: this.mapper.gelijkByKey(first.subjectType, '0'),
      scope: this.mapper.scope(first.subjectType, ['klantnummer']),
    });
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private toStored(subjectType: SubjectType, object: XmlNode): StoredKlant {
    const key = attrValue(object, 'sleutelVerzendend');
    if (!key) throw new BackendAnswerError(`backend answered an ${subjectType} object without StUF:sleutelVerzendend`);
    return { ref: { subjectType, key }, data: this.mapper.toKlant(subjectType, object) };
  }
}

interface ListQuestion {
  /** Subject types this question answers: one, or several sharing a StUF entity (CTP). */
  types: SubjectType[];
  gelijk: XmlNode;
}

/**
 * The questions a list needs: one per subject type; subject types sharing a StUF entity share one
 * question when their selections are the same (the answers are classified per object), else each
 * asks its own (and keeps only its own objects). Subject types the filter excludes ask nothing.
 */
function questionsFor(mapper: KlantMapper, types: SubjectType[], filter: KlantFilter): ListQuestion[] {
  const out: ListQuestion[] = [];
  const shared = new Map<string, ListQuestion[]>();
  for (const t of types) {
    const gelijk = mapper.gelijk(t, filter);
    if (gelijk === 'impossible') continue;
    const e = mapper.entity(t);
    if (!e.shared) {
      out.push({ types: [t], gelijk });
      continue;
    }
    const entityKey = `${e.namespace}|${e.questionMessage}|${e.entiteittype}`;
    const group = shared.get(entityKey) ?? [];
    shared.set(entityKey, group);
    const same = group.find((q) => JSON.stringify(q.gelijk) === JSON.stringify(gelijk));
    if (same) same.types.push(t);
    else {
      const q = { types: [t], gelijk };
      group.push(q);
      out.push(q);
    }
  }
  return out;
}

function requireSubjectType(data: KlantData): SubjectType {
  if (!data.subjectType) throw new BackendRejectedError('invalid', 'Deze backend bewaart een klant alleen met een subjectType.');
  return data.subjectType;
}

/** Fields the question must return: what the caller asked for plus what the filters compare. */
function scopeFields(fields: string[] | undefined, filter: KlantFilter): string[] | undefined {
  if (!fields) return undefined;
  const filterFields = Object.keys(filter).filter((k) => k !== 'subjectType');
  return [...new Set([...fields, ...filterFields])];
}
