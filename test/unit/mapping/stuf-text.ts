// Test-only: XmlNode → XML text, and the smallest full Lk01/La01/Lv01 messages around a mapped
// object, so the mapping's output can be validated against the real XSDs. (The protocol layer's
// own builder was not there when these tests were written; this stays deliberately tiny.)
import { attr, el, textEl, type XmlNode } from '../../../src/stuf/xml-node.ts';

const STUF = 'http://www.egem.nl/StUF/StUF0301';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const KNOWN: Record<string, string> = {
  [STUF]: 'StUF',
  'http://www.egem.nl/StUF/sector/bg/0310': 'BG',
  'http://www.egem.nl/StUF/sector/zkn/0310': 'ZKN',
  [XSI]: 'xsi',
};

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function toXml(root: XmlNode): string {
  const prefixes = new Map<string, string>();
  const prefixOf = (ns: string): string => {
    let p = prefixes.get(ns);
    if (p === undefined) {
      p = KNOWN[ns] ?? `ns${prefixes.size}`;
      prefixes.set(ns, p);
    }
    return p;
  };
  const write = (n: XmlNode): string => {
    const tag = n.ns ? `${prefixOf(n.ns)}:${n.name}` : n.name;
    const attrs = n.attrs.map((a) => ` ${a.ns ? `${prefixOf(a.ns)}:` : ''}${a.name}="${esc(a.value)}"`).join('');
    const inner = esc(n.text) + n.children.map(write).join('');
    return inner ? `<${tag}${attrs}>${inner}</${tag}>` : `<${tag}${attrs}/>`;
  };
  const body = write(root);
  const decls = [...prefixes].map(([ns, p]) => ` xmlns:${p}="${ns}"`).join('');
  // Declarations go on the root element: insert them after its tag name.
  const end = body.search(/[\s/>]/);
  return body.slice(0, end) + decls + body.slice(end);
}

const s = (name: string, text: string): XmlNode => textEl(STUF, name, text);
const systeem = (name: string, app: string): XmlNode => el(STUF, name, [s('applicatie', app)]);

function stuurgegevens(ns: string, berichtcode: string, entiteittype: string): XmlNode {
  return el(ns, 'stuurgegevens', [
    s('berichtcode', berichtcode),
    systeem('zender', 'klantbrug'),
    systeem('ontvanger', 'backend'),
    s('referentienummer', 'ref-1'),
    s('tijdstipBericht', '20240102030405'),
    s('entiteittype', entiteittype),
  ]);
}

export interface MessageNames {
  namespace: string;
  entiteittype: string;
  questionMessage: string;
  answerMessage: string;
  kennisgevingMessage: string;
  sortering: number;
}

/** `<xxxLk01>` with the given kennisgeving objects (one for T/V, old + new for W). */
export function kennisgeving(e: MessageNames, mutatiesoort: string, objects: XmlNode[]): string {
  return toXml(
    el(e.namespace, e.kennisgevingMessage, [
      stuurgegevens(e.namespace, 'Lk01', e.entiteittype),
      el(e.namespace, 'parameters', [s('mutatiesoort', mutatiesoort), s('indicatorOvername', 'V')]),
      ...objects,
    ]),
  );
}

/** `<xxxLa01>` answering with these objects (turned into answer objects: no verwerkingssoort, own key). */
export function antwoord(e: MessageNames, objects: XmlNode[]): string {
  const answers = objects.map((o, i) => ({
    ...o,
    attrs: [...o.attrs.filter((a) => a.name === 'entiteittype'), attr(STUF, 'sleutelVerzendend', `key-${i}`)],
  }));
  return toXml(
    el(e.namespace, e.answerMessage, [
      stuurgegevens(e.namespace, 'La01', e.entiteittype),
      el(e.namespace, 'parameters', [s('indicatorVervolgvraag', 'false')]),
      el(e.namespace, 'antwoord', answers),
    ]),
  );
}

/** `<xxxLv01>` with a gelijk and a scope object. */
export function vraag(e: MessageNames, gelijk: XmlNode | undefined, scopeObject: XmlNode): string {
  return toXml(
    el(e.namespace, e.questionMessage, [
      stuurgegevens(e.namespace, 'Lv01', e.entiteittype),
      el(e.namespace, 'parameters', [s('sortering', String(e.sortering)), s('indicatorVervolgvraag', 'false')]),
      ...(gelijk ? [gelijk] : []),
      el(e.namespace, 'scope', [scopeObject]),
    ]),
  );
}
