// Demo contactpersonen for the StUF-ZKN endpoint: demo klanten built as for StUF-BG, then laid out
// as a zaaksysteem holds them (docs/stuf-zkn-ctp-dialect.md) — the contactpersoon's name,
// function, phone and e-mail in CTP elements, the subject's kerngegevens in
// isAanspreekpuntNamens/gerelateerde (BG namespace), the rest in StUF:extraElementen.
import { attr, el, isNoValue, NS, textEl, type XmlNode } from '../../stuf/xml-node.ts';
import type { BgEntityCode } from '../sectors.ts';

/** Subject elements of BG:<code>-zkn-kerngegevensKennisgeving, in schema order. */
const SUBJECT_ELEMENTS: Record<BgEntityCode, readonly string[]> = {
  NPS: ['inp.bsn', 'anp.identificatie', 'geslachtsnaam', 'voorvoegselGeslachtsnaam', 'voorletters', 'voornamen', 'geslachtsaanduiding', 'geboortedatum', 'verblijfsadres', 'sub.verblijfBuitenland'],
  NNP: ['inn.nnpId', 'ann.identificatie', 'statutaireNaam', 'inn.rechtsvorm', 'sub.verblijfBuitenland'],
  VES: ['vestigingsNummer', 'handelsnaam', 'verblijfsadres', 'sub.verblijfBuitenland'],
};
const SUBJECT_ELEMENT: Record<BgEntityCode, string> = { NPS: 'natuurlijkPersoon', NNP: 'nietNatuurlijkPersoon', VES: 'vestiging' };
/** inp.bsn and inn.nnpId are followed by authentiek in the ZKN subject types. */
const AUTHENTIEK_AFTER = new Set(['inp.bsn', 'inn.nnpId']);
/** Elements of BG that the ZKN subject lacks, kept as extraElementen named after their Klant path. */
const TO_EXTRA: Record<string, string> = { 'inp.a-nummer': 'subjectIdentificatie.inpANummer', 'sub.url': 'websiteUrl' };

const ZKN_MAX = { naam: 40, functie: 50 } as const;

const extra = (naam: string, from: XmlNode): XmlNode => ({ ...from, ns: NS.stuf, name: 'extraElement', attrs: [attr('', 'naam', naam), ...from.attrs.filter((a) => a.name !== 'naam')] });

/**
 * The CTP object (children of ZKN:object, schema order) for a demo klant given as the children of
 * a StUF-BG object of `code`. `withSubject` false: the contactpersoon names only the kind of its
 * subject (an empty subject element), as for a klant without subjectIdentificatie.
 */
export function ctpFromBg(code: BgEntityCode, bgChildren: readonly XmlNode[], withSubject: boolean): XmlNode[] {
  const extras: XmlNode[] = [];
  const subject: XmlNode[] = [];
  let telefoon: XmlNode | undefined;
  let email: XmlNode | undefined;
  let naam: XmlNode | undefined;
  let functie: XmlNode | undefined;
  const handelsnamen = bgChildren.filter((c) => c.name === 'handelsnaam');

  for (const c of bgChildren) {
    if (c.ns === NS.stuf && c.name === 'extraElementen') {
      for (const x of c.children) {
        const n = x.attrs.find((a) => a.name === 'naam')?.value ?? '';
        const fits = isNoValue(x) || x.text.length <= (ZKN_MAX[n as keyof typeof ZKN_MAX] ?? 0);
        if (n === 'achternaam' && fits) naam = textLike(x, 'naam');
        else if (n === 'functie' && fits) functie = textLike(x, 'functie');
        else extras.push(x);
      }
    } else if (c.name === 'sub.telefoonnummer') telefoon = { ...c, ns: NS.zkn, name: 'telefoonnummer' };
    else if (c.name === 'sub.emailadres') email = { ...c, ns: NS.zkn, name: 'emailadres' };
    else if (TO_EXTRA[c.name]) {
      if (!isNoValue(c)) extras.push(extra(TO_EXTRA[c.name] as string, c));
    } else if (withSubject && c.name === 'handelsnaam' && handelsnamen.length > 1) {
      extras.push(extra('subjectIdentificatie.handelsnaam', c)); // one handelsnaam element at most
    } else if (withSubject && SUBJECT_ELEMENTS[code].includes(c.name)) {
      subject.push(c.name === 'sub.verblijfBuitenland' ? withoutLandcode(c, extras) : c);
      if (AUTHENTIEK_AFTER.has(c.name)) subject.push(textEl(NS.bg, 'authentiek', 'N', [attr(NS.stuf, 'metagegeven', 'true')]));
    }
  }
  const relation = el(NS.zkn, 'isAanspreekpuntNamens', [el(NS.zkn, 'gerelateerde', [el(NS.bg, SUBJECT_ELEMENT[code], subject, [attr(NS.stuf, 'entiteittype', code)])])], [attr(NS.stuf, 'entiteittype', 'CTPSUB')]);
  const out: XmlNode[] = [];
  for (const n of [naam, functie, telefoon, email]) if (n) out.push(n);
  if (extras.length > 0) out.push(el(NS.stuf, 'extraElementen', extras));
  out.push(relation);
  return out;
}

function textLike(x: XmlNode, name: string): XmlNode {
  return { ns: NS.zkn, name, attrs: x.attrs.filter((a) => a.name !== 'naam'), children: [], text: x.text };
}

/** BG:VerblijfBuitenlandGrp-zkn has no lnd.landcode: it moves to its extraElement. */
function withoutLandcode(group: XmlNode, extras: XmlNode[]): XmlNode {
  const landcode = group.children.find((c) => c.name === 'lnd.landcode');
  if (landcode && !isNoValue(landcode)) extras.push(extra('subjectIdentificatie.subVerblijfBuitenland.lndLandcode', landcode));
  return { ...group, children: group.children.filter((c) => c.name !== 'lnd.landcode') };
}
