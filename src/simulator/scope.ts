// The scope of a question: which elements of each object the answer carries.
// - no scope element, or StUF:scope="alles" (and its variants): everything stored;
// - StUF:scope="kerngegevens": the elements of <entity>-kerngegevens;
// - otherwise the elements the scope object names; a named group with elements inside it returns
//   only those, and StUF:extraElementen returns the extraElementen named (by @naam). An element
//   marked StUF:metagegeven="true" (authentiek after inp.bsn / inn.nnpId) is data about the
//   element before it and goes with it: the answer types demand it there, the scope types may
//   not even allow naming it.
import { attrValue, NS, type XmlNode } from '../stuf/xml-node.ts';
import type { EntityModel } from './entity-model.ts';

export type Projection =
  | { kind: 'all'; withoutMetadata: boolean }
  | { kind: 'named'; elements: Map<string, Projection | 'whole'>; extra: Set<string> | undefined };

const ALL: Projection = { kind: 'all', withoutMetadata: false };

export function projectionFor(scopeObject: XmlNode | undefined, model: EntityModel): Projection {
  if (!scopeObject) return ALL;
  const scope = attrValue(scopeObject, 'scope', NS.stuf);
  if (scope === 'kerngegevens') {
    return { kind: 'named', elements: new Map([...model.kerngegevens].map((n) => [n, 'whole'])), extra: undefined };
  }
  if (scope !== undefined) return { kind: 'all', withoutMetadata: scope.startsWith('allesZonderMetagegevens') };
  return named(scopeObject);
}

function named(node: XmlNode): Projection {
  const elements = new Map<string, Projection | 'whole'>();
  let extra: Set<string> | undefined;
  for (const c of node.children) {
    if (c.ns === NS.stuf && c.name === 'extraElementen') {
      extra ??= new Set();
      for (const e of c.children) {
        const naam = attrValue(e, 'naam');
        if (naam !== undefined) extra.add(naam);
      }
    } else {
      elements.set(c.name, c.children.length > 0 ? named(c) : 'whole');
    }
  }
  return { kind: 'named', elements, extra };
}

/** The children of an object (or group) that the projection selects. */
export function project(children: readonly XmlNode[], p: Projection): XmlNode[] {
  if (p.kind === 'all') {
    return p.withoutMetadata ? children.filter((c) => c.ns !== NS.stuf || c.name === 'extraElementen') : [...children];
  }
  const out: XmlNode[] = [];
  let previous: XmlNode | undefined;
  for (const c of children) {
    const follows = previous !== undefined && out.at(-1) === previous;
    previous = c;
    if (follows && attrValue(c, 'metagegeven', NS.stuf) === 'true') {
      out.push(c);
      continue;
    }
    if (c.ns === NS.stuf) {
      if (c.name === 'extraElementen' && p.extra) {
        const kept = c.children.filter((e) => p.extra?.has(attrValue(e, 'naam') ?? ''));
        // extraElementen needs at least one extraElement: drop it when none is asked for.
        if (kept.length > 0) out.push({ ...c, children: kept });
      } else if (p.elements.has(c.name)) out.push(c);
      continue;
    }
    const sub = p.elements.get(c.name);
    if (sub === undefined) continue;
    if (sub === 'whole' || c.children.length === 0) out.push(c);
    else out.push({ ...c, children: project(c.children, sub) });
  }
  return out;
}
