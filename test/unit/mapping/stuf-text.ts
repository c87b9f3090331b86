// Full StUF messages around the mapping's output, as text, so they can be validated against the
// real XSDs: the protocol layer's own builders (buildLk01, buildLv01, buildXml) for what the
// gateway sends, and a minimal La01 (which only backends send) for answers.
import { buildLk01, buildLv01, buildStuurgegevens, buildXml, type Mutatiesoort } from '../../../src/stuf/index.ts';
import { attr, el, textEl, NS, type XmlNode } from '../../../src/stuf/xml-node.ts';

const STUURGEGEVENS = {
  zender: { applicatie: 'klantbrug' },
  ontvanger: { applicatie: 'backend' },
  referentienummer: 'ref-1',
  tijdstipBericht: '20240102030405',
};

export interface MessageNames {
  namespace: string;
  entiteittype: string;
  questionMessage: string;
  answerMessage: string;
  kennisgevingMessage: string;
  sortering: number;
}

/** `<xxxLk01>` with the given kennisgeving objects (one for T/V, old + new for W). */
export function kennisgeving(e: MessageNames, mutatiesoort: Mutatiesoort, objects: XmlNode[]): string {
  return buildXml(
    buildLk01({
      namespace: e.namespace,
      messageName: e.kennisgevingMessage,
      entiteittype: e.entiteittype,
      mutatiesoort,
      objects,
      stuurgegevens: STUURGEGEVENS,
    }),
  );
}

/** `<xxxLv01>` with an optional gelijk and a scope object. */
export function vraag(e: MessageNames, gelijk: XmlNode | undefined, scopeObject: XmlNode): string {
  return buildXml(
    buildLv01({
      namespace: e.namespace,
      messageName: e.questionMessage,
      entiteittype: e.entiteittype,
      sortering: e.sortering,
      indicatorVervolgvraag: false,
      ...(gelijk ? { gelijk } : {}),
      scope: scopeObject,
      stuurgegevens: STUURGEGEVENS,
    }),
  );
}

/** `<xxxLa01>` answering with these objects (turned into answer objects: no verwerkingssoort, own key). */
export function antwoord(e: MessageNames, objects: XmlNode[]): string {
  const answers = objects.map((o, i) => ({
    ...o,
    attrs: [...o.attrs.filter((a) => a.name === 'entiteittype'), attr(NS.stuf, 'sleutelVerzendend', `key-${i}`)],
  }));
  return buildXml(
    el(e.namespace, e.answerMessage, [
      buildStuurgegevens(e.namespace, { ...STUURGEGEVENS, berichtcode: 'La01', entiteittype: e.entiteittype }),
      el(e.namespace, 'parameters', [textEl(NS.stuf, 'indicatorVervolgvraag', 'false')]),
      el(e.namespace, 'antwoord', answers),
    ]),
  );
}
