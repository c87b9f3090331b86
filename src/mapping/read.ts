// StUF answer object → KlantData. Lenient: nil and/or noValue mean "no value", whitespace is
// trimmed, unknown elements are ignored, a missing element or extraElement is an empty value.
import type { KlantData } from '../domain/klant.ts';
import { isNoValue, type XmlNode } from '../stuf/xml-node.ts';
import { verbatim, type Conversion } from './conversions.ts';
import { buildKlant, emptyValue, isEmptyValue, type LeafKind, type LeafValue } from './klant-shape.ts';
import type { EntityMapping } from './model.ts';
import { elementsAt, extraElementsByName } from './nodes.ts';

// Fallback extraElementen hold values verbatim.
const VERBATIM: Record<LeafKind, Conversion> = { string: verbatim('string'), integer: verbatim('integer'), strings: verbatim('strings') };

export function readKlant(entity: EntityMapping, object: XmlNode): KlantData {
  const extras = extraElementsByName(object);
  const values = new Map<string, LeafValue>();
  for (const f of entity.fields) {
    const nodes = f.target.kind === 'element' ? elementsAt(object, f.target.node) : (extras.get(f.target.naam) ?? []);
    let value = readValue(nodes, f.conversion, f.leaf.kind);
    // Element empty: the value may have been too big for it (or its xsd:choice taken) when written.
    if (isEmptyValue(value) && f.fallback !== undefined) {
      value = readValue(extras.get(f.fallback) ?? [], VERBATIM[f.leaf.kind], f.leaf.kind);
    }
    values.set(f.leaf.path, value);
  }
  return buildKlant(entity.subjectType, values);
}

function readValue(nodes: XmlNode[], conversion: Conversion, kind: LeafKind): LeafValue {
  const present = nodes.filter((n) => !isNoValue(n) && n.text.trim() !== '');
  if (kind === 'strings') {
    return present.map((n) => conversion.read(n.text, n)).filter((v): v is string => typeof v === 'string' && v !== '');
  }
  const first = present[0];
  if (!first) return emptyValue(kind);
  const v = conversion.read(first.text, first);
  if (kind === 'integer') return typeof v === 'number' ? v : null;
  return v === null ? '' : String(v);
}
