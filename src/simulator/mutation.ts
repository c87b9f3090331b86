// Processes a kennisgeving (npsLk01/nnpLk01/vesLk01/ctpLk01, and the Lk02 variants) like a StUF system:
//  T  creates an object under a new key; refused when its identifying data already exists;
//  W  (and the corrections C/F) takes an old/new pair addressed by StUF:sleutelOntvangend: the
//     old object must still match the stored state for every element it carries ("object is
//     gewijzigd" otherwise), then the new values are applied (an element sent as nil keeps its
//     noValue; a group or repeated element is replaced as a whole; extraElementen per naam);
//  V  deletes the addressed object (its carried elements must match, as for the old object of W).
// Every check runs before the store changes, and the change itself is one synchronous put or
// delete: a kennisgeving is applied entirely or not at all.
import { attrValue, child, childrenNamed, isNoValue, NS, type XmlNode } from '../stuf/xml-node.ts';
import { entityModel, type EntityCode, type EntityModel } from './entity-model.ts';
import { sectorEntities } from './sectors.ts';
import { FOUTCODE, StufFout } from './fout.ts';
import { mismatch } from './matching.ts';
import type { ObjectStore, StoredObject } from './store.ts';
import { cloneNode } from './xml.ts';

export interface MutationResult {
  mutatiesoort: string;
  key: string;
}

/** The extraElementen that together identify a klant across all entity types (kla-001). */
const KLANT_IDENTITY = ['bronorganisatie', 'klantnummer'] as const;

/** Last check of an object about to be stored (throws a StufFout to refuse it). */
export type StoreCheck = (entity: EntityCode, children: XmlNode[]) => void;

export function applyKennisgeving(store: ObjectStore, entity: EntityCode, payload: XmlNode, check: StoreCheck = () => {}): MutationResult {
  const model = entityModel(entity);
  const ns = model.sector.namespace;
  const soort = child(child(payload, 'parameters', ns), 'mutatiesoort', NS.stuf)?.text.trim() ?? '';
  const objects = childrenNamed(payload, 'object', ns);
  for (const o of objects) checkSupported(o, model);
  switch (soort) {
    case 'T':
      return create(store, model, single(objects, 'T'), check);
    case 'W':
    case 'C':
    case 'F': {
      const [oud, nieuw] = pair(objects);
      return { mutatiesoort: soort, key: update(store, model, oud, nieuw, check) };
    }
    case 'V':
      return { mutatiesoort: 'V', key: remove(store, model, single(objects, 'V')) };
    default:
      throw new StufFout(FOUTCODE.unsupported, `Mutatiesoort '${soort}' wordt niet ondersteund`);
  }
}

function verwerkingssoort(o: XmlNode): string | undefined {
  return attrValue(o, 'verwerkingssoort', NS.stuf);
}

function single(objects: XmlNode[], soort: 'T' | 'V'): XmlNode {
  const [o] = objects;
  if (objects.length !== 1 || !o || verwerkingssoort(o) !== soort) {
    throw new StufFout(FOUTCODE.invalid, `Mutatiesoort ${soort} vraagt één object met verwerkingssoort ${soort}`);
  }
  return o;
}

function pair(objects: XmlNode[]): [XmlNode, XmlNode] {
  const [oud, nieuw] = objects;
  if (objects.length !== 2 || !oud || !nieuw || verwerkingssoort(oud) !== 'W' || verwerkingssoort(nieuw) !== 'W') {
    throw new StufFout(FOUTCODE.invalid, 'Een wijziging vraagt een oud en een nieuw object met verwerkingssoort W');
  }
  return [oud, nieuw];
}

/** Unknown elements, and relations other than the entity's stored ones, are outside what this backend stores. */
function checkSupported(o: XmlNode, model: EntityModel): void {
  for (const c of o.children) {
    if (c.ns === NS.stuf) continue;
    const relation = c.children.some((g) => g.name === 'gerelateerde');
    if (!model.slotOf.has(c.name) || (relation && !model.relations.has(c.name))) {
      throw new StufFout(FOUTCODE.unsupported, `Element ${c.name} wordt door deze ${model.code}-registratie niet ondersteund`);
    }
  }
}

function keyOf(objects: XmlNode[]): string {
  const keys = new Set(objects.map((o) => attrValue(o, 'sleutelOntvangend', NS.stuf)).filter((k) => k !== undefined));
  const [key] = keys;
  if (keys.size !== 1 || key === undefined) {
    throw new StufFout(FOUTCODE.invalid, 'Het object moet met één StUF:sleutelOntvangend worden aangeduid');
  }
  return key;
}

function existing(store: ObjectStore, entity: EntityCode, key: string): StoredObject {
  const o = store.get(entity, key);
  if (!o) throw new StufFout(FOUTCODE.notFound, 'Object niet gevonden', { details: `Geen ${entity} met sleutel ${key}` });
  return o;
}

function create(store: ObjectStore, model: EntityModel, o: XmlNode, check: StoreCheck): MutationResult {
  const children = merge(model, [], clean(o.children));
  assertUnique(store, model, children, undefined);
  check(model.code, children);
  const key = store.newKey(model.code);
  store.put({ entity: model.code, key, children });
  return { mutatiesoort: 'T', key };
}

function update(store: ObjectStore, model: EntityModel, oud: XmlNode, nieuw: XmlNode, check: StoreCheck): string {
  const key = keyOf([oud, nieuw]);
  const current = existing(store, model.code, key);
  const diff = mismatch(oud.children, current.children, 'old');
  if (diff) throw new StufFout(FOUTCODE.changed, 'Object is gewijzigd', { details: `Oud object wijkt af van de registratie bij ${diff}` });
  const children = merge(model, current.children, clean(nieuw.children));
  assertUnique(store, model, children, key);
  check(model.code, children);
  store.put({ entity: model.code, key, children });
  return key;
}

function remove(store: ObjectStore, model: EntityModel, o: XmlNode): string {
  const key = keyOf([o]);
  const current = existing(store, model.code, key);
  const diff = mismatch(o.children, current.children, 'old');
  if (diff) throw new StufFout(FOUTCODE.changed, 'Object is gewijzigd', { details: `Te verwijderen object wijkt af van de registratie bij ${diff}` });
  store.delete(model.code, key);
  return key;
}

/**
 * The stored state with the new object's elements applied, in schema order: a slot the new
 * object names takes the new occurrences; a choice branch it names clears the other branches.
 */
export function merge(model: EntityModel, stored: XmlNode[], next: XmlNode[]): XmlNode[] {
  const bySlot = (nodes: XmlNode[]): Map<number, XmlNode[]> => {
    const m = new Map<number, XmlNode[]>();
    for (const n of nodes) {
      const i = model.slotOf.get(n.name);
      if (i === undefined) continue;
      const list = m.get(i);
      if (list) list.push(n);
      else m.set(i, [n]);
    }
    return m;
  };
  const old = bySlot(stored);
  const neu = bySlot(next);
  const clearedBranches = new Set<string>();
  for (const i of neu.keys()) {
    const c = model.slots[i]?.choice;
    if (c) {
      clearedBranches.add(`${c.id}`);
      clearedBranches.add(`${c.id}/${c.branch}`);
    }
  }
  const out: XmlNode[] = [];
  model.slots.forEach((slot, i) => {
    const fresh = neu.get(i);
    if (slot.names[0] === 'extraElementen') {
      const merged = mergeExtra(old.get(i)?.[0], fresh?.[0]);
      if (merged) out.push(merged);
      return;
    }
    if (fresh) {
      out.push(...fresh);
      return;
    }
    const c = slot.choice;
    if (c && clearedBranches.has(`${c.id}`) && !clearedBranches.has(`${c.id}/${c.branch}`)) return;
    out.push(...(old.get(i) ?? []));
  });
  return out;
}

/** extraElementen per naam: the new occurrences of a naam (one or several) replace all stored ones. */
function mergeExtra(stored: XmlNode | undefined, next: XmlNode | undefined): XmlNode | undefined {
  if (!next) return stored;
  if (!stored) return next;
  let merged = stored.children.map(cloneNode);
  const names = new Set(next.children.map((e) => attrValue(e, 'naam')));
  for (const naam of names) {
    const fresh = next.children.filter((e) => attrValue(e, 'naam') === naam);
    const at = merged.findIndex((m) => attrValue(m, 'naam') === naam);
    const rest = merged.filter((m) => attrValue(m, 'naam') !== naam);
    merged = at === -1 ? [...rest, ...fresh] : [...rest.slice(0, at), ...fresh, ...rest.slice(at)];
  }
  return { ...stored, children: merged };
}

function valueOf(children: XmlNode[], name: string, ns: string): string | undefined {
  const el = children.find((c) => c.ns === ns && c.name === name);
  return el && !isNoValue(el) ? el.text.trim() : undefined;
}

function extraValue(children: XmlNode[], naam: string): string | undefined {
  for (const c of children) {
    if (c.ns !== NS.stuf || c.name !== 'extraElementen') continue;
    const e = c.children.find((x) => attrValue(x, 'naam') === naam);
    if (e && !isNoValue(e)) return e.text.trim();
  }
  return undefined;
}

function assertUnique(store: ObjectStore, model: EntityModel, children: XmlNode[], self: string | undefined): void {
  const ns = model.sector.namespace;
  for (const name of model.identifying) {
    const v = valueOf(children, name, ns);
    if (v === undefined) continue;
    const clash = store.list(model.code).find((o) => o.key !== self && valueOf(o.children, name, ns) === v);
    if (clash) throw new StufFout(FOUTCODE.duplicate, 'Object bestaat al', { details: `Er is al een ${model.code} met ${name} ${v}` });
  }
  const ids = KLANT_IDENTITY.map((n) => extraValue(children, n));
  if (ids.some((v) => v === undefined)) return;
  // Unique within the registration (sector) that holds the object.
  for (const entity of sectorEntities(model.sector)) {
    const clash = store.list(entity).find((o) => o.key !== self && KLANT_IDENTITY.every((n, i) => extraValue(o.children, n) === ids[i]));
    if (clash) {
      throw new StufFout(FOUTCODE.duplicate, 'Object bestaat al', { details: `Er is al een object met bronorganisatie ${ids[0]} en klantnummer ${ids[1]}` });
    }
  }
}

/**
 * A private copy without the whitespace that pretty-printed messages put between elements, and
 * without the kennisgeving-only attributes of stored relations (StUF:verwerkingssoort and
 * sleutelSynchronisatie are prohibited in answers).
 */
export function clean(nodes: readonly XmlNode[]): XmlNode[] {
  return nodes.map((n) => {
    const children = clean(n.children);
    const attrs = n.attrs.filter((a) => a.ns !== NS.stuf || !KENNISGEVING_ONLY.has(a.name)).map((a) => ({ ...a }));
    return { ns: n.ns, name: n.name, attrs, children, text: children.length > 0 && n.text.trim() === '' ? '' : n.text };
  });
}

const KENNISGEVING_ONLY = new Set(['verwerkingssoort', 'sleutelSynchronisatie']);
