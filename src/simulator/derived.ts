// Selection elements a sector lets a question name that a stored object does not hold itself
// (sectors.ts `derived`): before a gelijk is matched, the candidate gets them computed from its
// own data, so matching.ts compares them like any stored element. Stored objects are not changed.
import { isNoValue, textEl, type XmlNode } from '../stuf/xml-node.ts';
import type { DerivedElement } from './sectors.ts';

export function withDerived(children: readonly XmlNode[], derived: readonly DerivedElement[]): readonly XmlNode[] {
  let out = children;
  for (const d of derived) out = addAt(out, d, 0);
  return out;
}

function addAt(children: readonly XmlNode[], d: DerivedElement, depth: number): readonly XmlNode[] {
  const step = d.parent[depth];
  if (step === undefined) {
    const value = firstValue(children, d.sources);
    return value === undefined ? children : [...children, textEl(d.ns, d.name, value)];
  }
  const at = children.findIndex((c) => c.name === step);
  const parent = children[at];
  if (!parent) return children;
  const copy = [...children];
  copy[at] = { ...parent, children: [...addAt(parent.children, d, depth + 1)] };
  return copy;
}

function firstValue(children: readonly XmlNode[], sources: DerivedElement['sources']): string | undefined {
  for (const source of sources) {
    let level: readonly XmlNode[] = children;
    let found: XmlNode | undefined;
    for (const name of source) {
      found = level.flatMap((c) => (c.name === name ? [c] : []))[0];
      if (!found) break;
      level = found.children;
    }
    if (found && !isNoValue(found) && found.text.trim() !== '') return found.text.trim();
  }
  return undefined;
}

