// Every piece the gateway adds to the standard's document says so in its description, so a reader
// (and the test that compares the served document with the standard) can tell the two apart.

export const EXTENSION_MARKER = '**klantbrug-uitbreiding:**';

/** A description for something the gateway adds: marker + text. */
export function marked(text: string): string {
  return `${EXTENSION_MARKER} ${text}`;
}

/** The standard's description (if any) followed by a marked paragraph. */
export function withMarkedNote(existing: string | undefined, text: string): string {
  return existing === undefined || existing === '' ? marked(text) : `${existing}\n\n${marked(text)}`;
}
