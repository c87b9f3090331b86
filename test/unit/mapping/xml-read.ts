// Test-only: XML text → namespace-resolved XmlNode (libxml2 does the namespace work), so the
// lenient-parsing tests can be written as the XML a backend sends rather than as object literals.
import { XmlCData, XmlDocument, XmlElement, XmlText } from 'libxml2-wasm';
import type { XmlNode } from '../../../src/stuf/xml-node.ts';

export function fromXml(xml: string): XmlNode {
  const doc = XmlDocument.fromString(xml);
  try {
    return convert(doc.root);
  } finally {
    doc.dispose();
  }
}

function convert(e: XmlElement): XmlNode {
  const children: XmlNode[] = [];
  let text = '';
  for (let c = e.firstChild; c; c = c.next) {
    if (c instanceof XmlElement) children.push(convert(c));
    else if (c instanceof XmlText || c instanceof XmlCData) text += c.content;
  }
  return {
    ns: e.namespaceUri,
    name: e.name,
    attrs: e.attrs.map((a) => ({ ns: a.namespaceUri, name: a.name, value: a.value })),
    children,
    text,
  };
}
