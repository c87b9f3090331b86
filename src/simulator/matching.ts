// Compares the elements a message carries with a stored object. Two uses:
//  - 'gelijk' (Lv01 selection): every given element must occur in the object; a value given with
//    StUF:exact="false" matches as a case-insensitive prefix; nil asks for "no value".
//  - 'old' (the old object of a W, the object of a V): every given element must equal the
//    stored state, occurrence by occurrence; anything else means the object has changed since
//    the sender read it.
// "No value" is the same whether the element is absent, nil, or carries StUF:noValue.
// StUF metadata (tijdvakGeldigheid, tijdstipRegistratie, ...) is not compared; extraElementen are,
// per naam.
import { attrValue, isNoValue, NS, type XmlNode } from '../stuf/xml-node.ts';

export type MatchMode = 'gelijk' | 'old';

/** Null when everything matches, else a short description of the first difference. */
export function mismatch(given: readonly XmlNode[], stored: readonly XmlNode[], mode: MatchMode, path = ''): string | null {
  const seen = new Set<string>();
  for (const g of given) {
    if (g.ns === NS.stuf) {
      if (g.name === 'extraElementen') {
        const m = extraMismatch(g, stored, mode);
        if (m) return m;
      }
      continue;
    }
    const id = `${g.ns}|${g.name}`;
    if (mode === 'old') {
      // Compare all occurrences of this name at once, in order.
      if (seen.has(id)) continue;
      seen.add(id);
      const gs = given.filter((x) => x.ns === g.ns && x.name === g.name);
      const ss = stored.filter((x) => x.ns === g.ns && x.name === g.name);
      const m = sequenceMismatch(gs, ss, `${path}${g.name}`);
      if (m) return m;
    } else {
      const ss = stored.filter((x) => x.ns === g.ns && x.name === g.name);
      if (!ss.some((s) => elementMatches(g, s, mode, `${path}${g.name}/`))) {
        if (isNoValue(g) && ss.every(isNoValue)) continue;
        return `${path}${g.name}`;
      }
    }
  }
  return null;
}

function sequenceMismatch(gs: XmlNode[], ss: XmlNode[], where: string): string | null {
  const givenValues = gs.filter((g) => !isNoValue(g));
  const storedValues = ss.filter((s) => !isNoValue(s));
  if (givenValues.length !== storedValues.length) return where;
  for (let i = 0; i < givenValues.length; i++) {
    const g = givenValues[i];
    const s = storedValues[i];
    if (!g || !s || !elementMatches(g, s, 'old', `${where}/`)) return where;
  }
  return null;
}

function elementMatches(g: XmlNode, s: XmlNode, mode: MatchMode, path: string): boolean {
  if (isNoValue(g)) return isNoValue(s);
  if (isNoValue(s)) return false;
  if (g.children.length > 0 || s.children.length > 0) {
    // A group: every element given inside it must match.
    return mismatch(g.children, s.children, mode, path) === null;
  }
  return valueMatches(g, s.text, mode);
}

function valueMatches(g: XmlNode, stored: string, mode: MatchMode): boolean {
  const want = g.text.trim();
  const have = stored.trim();
  if (mode === 'gelijk' && attrValue(g, 'exact', NS.stuf)?.trim() === 'false') {
    return have.toLowerCase().startsWith(want.toLowerCase());
  }
  return want === have;
}

function extraElements(nodes: readonly XmlNode[]): XmlNode[] {
  return nodes
    .filter((n) => n.ns === NS.stuf && n.name === 'extraElementen')
    .flatMap((n) => n.children.filter((c) => c.ns === NS.stuf && c.name === 'extraElement'));
}

function extraMismatch(given: XmlNode, stored: readonly XmlNode[], mode: MatchMode): string | null {
  const storedExtras = extraElements(stored);
  const naamOf = (x: XmlNode): string => attrValue(x, 'naam') ?? '';
  const givenExtras = given.children.filter((g) => g.ns === NS.stuf && g.name === 'extraElement');
  const seen = new Set<string>();
  for (const g of givenExtras) {
    const naam = naamOf(g);
    const withValue = storedExtras.filter((x) => naamOf(x) === naam && !isNoValue(x));
    let ok: boolean;
    if (mode === 'gelijk') {
      ok = isNoValue(g) ? withValue.length === 0 : withValue.some((s) => valueMatches(g, s.text, mode));
    } else {
      // A repeated extraElement (one naam, several values) is compared as a whole, in order.
      if (seen.has(naam)) continue;
      seen.add(naam);
      const values = givenExtras.filter((x) => naamOf(x) === naam && !isNoValue(x));
      ok = values.length === withValue.length && values.every((v, i) => valueMatches(v, withValue[i]?.text ?? '', mode));
    }
    if (!ok) return `extraElement[@naam='${naam}']`;
  }
  return null;
}
