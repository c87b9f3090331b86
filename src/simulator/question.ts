// Answers a synchronous question (npsLv01, nnpLv01, vesLv01; ctpLv01) from the store.
// Selection: `gelijk` (every element given must match, see matching.ts) and the simulator's own key
// in StUF:sleutelOntvangend on the gelijk object. Order: by key, always (the simulator has one
// stable order; `sortering` is accepted and otherwise ignored). Paging: at most maximumAantal
// objects (default 15 as in the schema, 0 = no limit), continuing after `start/object` on a
// follow-up question; the answer says indicatorVervolgvraag=true while more objects remain.
import { attrValue, child, NS, type XmlNode } from '../stuf/xml-node.ts';
import { withDerived } from './derived.ts';
import { entityModel, type EntityCode } from './entity-model.ts';
import { FOUTCODE, StufFout } from './fout.ts';
import { mismatch } from './matching.ts';
import { project, projectionFor } from './scope.ts';
import type { ObjectStore, StoredObject } from './store.ts';
import { objectXml } from './stuf-messages.ts';

export interface QuestionResult {
  objects: string[];
  indicatorVervolgvraag: boolean;
  aantalVoorkomens?: number;
}

const DEFAULT_MAXIMUM = 15;

export function answerQuestion(store: ObjectStore, entity: EntityCode, payload: XmlNode): QuestionResult {
  const model = entityModel(entity);
  const bg = model.sector.namespace;
  const parameters = child(payload, 'parameters', bg);
  if (child(payload, 'vanaf', bg) || child(payload, 'totEnMet', bg)) {
    throw new StufFout(FOUTCODE.unsupported, 'Vragen met vanaf/totEnMet worden niet ondersteund');
  }
  const maxText = child(parameters, 'maximumAantal', NS.stuf)?.text.trim();
  const maximum = maxText ? Number(maxText) : DEFAULT_MAXIMUM;
  const wantCount = child(parameters, 'indicatorAantal', NS.stuf)?.text.trim() === 'true';

  const gelijk = child(payload, 'gelijk', bg);
  const key = gelijk && attrValue(gelijk, 'sleutelOntvangend', NS.stuf);
  const candidates: readonly StoredObject[] = key !== undefined ? [store.get(entity, key)].filter((o) => o !== undefined) : store.list(entity);
  const criteria = gelijk?.children ?? [];
  const derived = model.sector.derived;
  const matchable = (o: StoredObject): readonly XmlNode[] => (derived.length > 0 ? withDerived(o.children, derived) : o.children);
  const matches = criteria.length === 0 ? candidates : candidates.filter((o) => mismatch(criteria, matchable(o), 'gelijk') === null);

  const startObject = child(child(payload, 'start', bg), 'object', bg);
  const from = startObject ? startAfter(matches, startObject) : 0;
  const end = maximum > 0 ? Math.min(matches.length, from + maximum) : matches.length;

  const projection = projectionFor(child(child(payload, 'scope', bg), 'object', bg), model);
  const objects: string[] = [];
  for (let i = from; i < end; i++) {
    const o = matches[i];
    if (!o) continue;
    objects.push(objectXml(entity, o.key, project(o.children, projection)));
  }
  const result: QuestionResult = { objects, indicatorVervolgvraag: end < matches.length };
  if (wantCount) result.aantalVoorkomens = matches.length;
  return result;
}

/**
 * Index of the first match after the start object. The start object is the last object of the
 * previous answer: found by the key we gave it (sleutelVerzendend, or sleutelOntvangend when the
 * asker turned it around), else by its content.
 */
function startAfter(matches: readonly StoredObject[], start: XmlNode): number {
  const key = attrValue(start, 'sleutelVerzendend', NS.stuf) ?? attrValue(start, 'sleutelOntvangend', NS.stuf);
  if (key !== undefined) {
    const i = matches.findIndex((o) => o.key > key);
    return i === -1 ? matches.length : i;
  }
  const at = matches.findIndex((o) => mismatch(start.children, o.children, 'gelijk') === null);
  if (at === -1) throw new StufFout(FOUTCODE.notFound, 'Het start-object van de vervolgvraag is niet gevonden');
  return at + 1;
}
