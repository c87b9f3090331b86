// KlantenBackend over a StUF backend: turns list/get into Lv01 questions (paging with
// indicatorVervolgvraag) per entity type, and answers back into KlantData via the mapping.
// It is the only module that uses both the StUF client and the mapper.
import type { KlantData, SubjectType } from '../domain/klant.ts';
import type { KlantMapper } from '../mapping/index.ts';
import type { StufClient } from '../stuf/index.ts';
import { attrValue, type XmlNode } from '../stuf/xml-node.ts';
import type { BackendRef, KlantFilter, KlantenBackend, ReadOptions, StoredKlant } from './klanten-backend.ts';
import { BackendAnswerError } from './errors.ts';

export interface StufBackendOptions {
  /** maximumAantal per question while scanning a list. */
  listBatchSize: number;
  /** Safety bound on follow-up questions per entity for one list (a backend that never says "done"). */
  maxListPages: number;
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
    const types = this.mapper.entities
      .map((e) => e.subjectType)
      .filter((t) => !filter.subjectType || filter.subjectType === t);
    // The entity types are independent questions: ask them in parallel.
    const perType = await Promise.all(types.map((t) => this.listType(t, filter, opts)));
    return perType.flat();
  }

  private async listType(subjectType: SubjectType, filter: KlantFilter, opts: ReadOptions): Promise<StoredKlant[]> {
    const gelijk = this.mapper.gelijk(subjectType, filter);
    if (gelijk === 'impossible') return [];
    const entity = this.mapper.entity(subjectType);
    const scope = this.mapper.scope(subjectType, scopeFields(opts.fields, filter));
    const out: StoredKlant[] = [];
    const seen = new Set<string>();
    let start: XmlNode | undefined;
    for (let page = 0; page < this.opts.maxListPages; page++) {
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
        const stored = this.toStored(subjectType, object);
        if (seen.has(stored.ref.key)) continue; // a backend repeating the start object
        seen.add(stored.ref.key);
        if (this.mapper.matches(stored.data, filter)) out.push(stored);
      }
      const last = answer.objects.at(-1);
      if (!answer.indicatorVervolgvraag || !last) return out;
      start = last;
    }
    throw new BackendAnswerError(`backend kept announcing more ${entity.entiteittype} objects after ${this.opts.maxListPages} pages`);
  }

  async get(ref: BackendRef, opts: ReadOptions = {}): Promise<StoredKlant | null> {
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
    return { ref, data: this.mapper.toKlant(ref.subjectType, object) };
  }

  async create(_data: KlantData): Promise<StoredKlant> {
    throw new Error('not implemented yet');
  }

  async update(_current: StoredKlant, _next: KlantData): Promise<StoredKlant> {
    throw new Error('not implemented yet');
  }

  async delete(_current: StoredKlant): Promise<void> {
    throw new Error('not implemented yet');
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

/** Fields the question must return: what the caller asked for plus what the filters compare. */
function scopeFields(fields: string[] | undefined, filter: KlantFilter): string[] | undefined {
  if (!fields) return undefined;
  const filterFields = Object.keys(filter).filter((k) => k !== 'subjectType');
  return [...new Set([...fields, ...filterFields])];
}
