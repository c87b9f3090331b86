// In-memory object store of the simulator: per entity type (NPS, NNP, VES, CTP) the objects as
// StUF element data (the children of an object element), each under the simulator's own key. The key is
// what the simulator answers as StUF:sleutelVerzendend and accepts as StUF:sleutelOntvangend.
import type { XmlNode } from '../stuf/xml-node.ts';
import { ENTITY_CODES, type EntityCode } from './entity-model.ts';
import { cloneNode } from './xml.ts';

export interface StoredObject {
  entity: EntityCode;
  key: string;
  /** Element content of the object, in schema order (never shared with messages). */
  children: XmlNode[];
}

/**
 * The simulator's key for the n-th object of an entity. Zero-padded sequence numbers: string
 * order is creation order, so "stable order by key" for paging is also easy to follow.
 */
export function formatKey(entity: EntityCode, n: number): string {
  return `${entity}${String(n).padStart(10, '0')}`;
}

export interface StoreSnapshot {
  /** Last key number issued per entity, so keys are never reused after a restart. */
  seq: Record<EntityCode, number>;
  objects: StoredObject[];
}

export function emptySeq(): Record<EntityCode, number> {
  return Object.fromEntries(ENTITY_CODES.map((e) => [e, 0])) as Record<EntityCode, number>;
}

export class ObjectStore {
  private readonly byEntity = new Map<EntityCode, Map<string, StoredObject>>();
  private readonly sorted = new Map<EntityCode, StoredObject[]>();
  private seq: Record<EntityCode, number> = emptySeq();
  private readonly listeners: (() => void)[] = [];

  constructor() {
    for (const e of ENTITY_CODES) this.byEntity.set(e, new Map());
  }

  /** Called after every change (used for the file snapshot). */
  onChange(fn: () => void): void {
    this.listeners.push(fn);
  }

  /** A key for a new object (never reused, also not after a restart from a snapshot). */
  newKey(entity: EntityCode): string {
    this.seq[entity] = (this.seq[entity] ?? 0) + 1;
    return formatKey(entity, this.seq[entity]);
  }

  get(entity: EntityCode, key: string): StoredObject | undefined {
    return this.map(entity).get(key);
  }

  /** All objects of an entity in key order. The array is shared: do not modify it. */
  list(entity: EntityCode): readonly StoredObject[] {
    let s = this.sorted.get(entity);
    if (!s) {
      s = [...this.map(entity).values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      this.sorted.set(entity, s);
    }
    return s;
  }

  count(entity: EntityCode): number {
    return this.map(entity).size;
  }

  put(obj: StoredObject): void {
    this.map(obj.entity).set(obj.key, obj);
    this.changed(obj.entity);
  }

  delete(entity: EntityCode, key: string): boolean {
    const had = this.map(entity).delete(key);
    if (had) this.changed(entity);
    return had;
  }

  snapshot(): StoreSnapshot {
    return {
      seq: { ...this.seq },
      objects: ENTITY_CODES.flatMap((e) => this.list(e).map((o) => ({ ...o, children: o.children.map(cloneNode) }))),
    };
  }

  /** Replace the whole content (start-up, reset). */
  load(snap: StoreSnapshot): void {
    for (const e of ENTITY_CODES) this.map(e).clear();
    this.sorted.clear();
    // A snapshot written before an entity existed has no sequence for it.
    this.seq = { ...emptySeq(), ...snap.seq };
    for (const o of snap.objects) {
      this.map(o.entity).set(o.key, { entity: o.entity, key: o.key, children: o.children.map(cloneNode) });
    }
    for (const fn of this.listeners) fn();
  }

  private map(entity: EntityCode): Map<string, StoredObject> {
    const m = this.byEntity.get(entity);
    if (!m) throw new Error(`unknown entity ${entity}`);
    return m;
  }

  private changed(entity: EntityCode): void {
    this.sorted.delete(entity);
    for (const fn of this.listeners) fn();
  }
}
