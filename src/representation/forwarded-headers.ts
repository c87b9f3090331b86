// Reading forwarded headers: the first (client-facing) value of X-Forwarded-* lists and the first
// element of an RFC 7239 `Forwarded` header. Bounded scans: longer values are treated as junk.

const MAX_HEADER_SCAN = 1024;
const DQUOTE_CODE = 34;

/** First value of a header: a repeated header's first line, and of a list its first element. */
export function firstListValue(raw: string | string[] | undefined): string | undefined {
  const line = Array.isArray(raw) ? raw[0] : raw;
  if (line === undefined || line.length > MAX_HEADER_SCAN) return undefined;
  const comma = line.indexOf(',');
  return (comma === -1 ? line : line.slice(0, comma)).trim();
}

export interface ForwardedFirstHop {
  proto?: string;
  host?: string;
}

/**
 * The first element of an RFC 7239 `Forwarded` header (client-facing hop): its proto and host.
 * Values are tokens or quoted-strings (with quoted-pairs); a quoted value may hold ';', ',' and
 * '=' without ending the pair. Malformed element or repeated parameter → undefined (all ignored).
 */
export function parseForwardedFirstHop(raw: string | string[] | undefined): ForwardedFirstHop | undefined {
  const line = Array.isArray(raw) ? raw[0] : raw;
  if (line === undefined) return undefined;
  const n = Math.min(line.length, MAX_HEADER_SCAN);
  const out: ForwardedFirstHop = {};
  const seen = new Set<string>();
  let i = 0;
  for (;;) {
    while (i < n && isOwsCode(line.charCodeAt(i))) i++;
    // parameter name: token
    const nameStart = i;
    while (i < n && isTokenChar(line.charCodeAt(i))) i++;
    if (i === nameStart || i >= n || line.charCodeAt(i) !== 61 /* = */) return undefined;
    const name = line.slice(nameStart, i).toLowerCase();
    i++;
    let value: string;
    if (i < n && line.charCodeAt(i) === DQUOTE_CODE) {
      let buf = '';
      i++;
      for (;;) {
        if (i >= n) return undefined; // unbalanced quote (or longer than we scan)
        const c = line.charCodeAt(i);
        if (c === DQUOTE_CODE) break;
        if (c === 92 /* \ */) {
          i++;
          if (i >= n) return undefined;
        }
        const q = line.charCodeAt(i);
        if (q < 0x20 && q !== 9) return undefined; // control characters
        if (q === 0x7f) return undefined;
        buf += line[i];
        i++;
      }
      i++; // closing quote
      value = buf;
    } else {
      const valueStart = i;
      while (i < n && isTokenChar(line.charCodeAt(i))) i++;
      if (i === valueStart) return undefined;
      value = line.slice(valueStart, i);
    }
    if (seen.has(name)) return undefined; // RFC 7239 §4: a parameter occurs at most once per element
    seen.add(name);
    if (name === 'proto') out.proto = value;
    else if (name === 'host') out.host = value;
    while (i < n && isOwsCode(line.charCodeAt(i))) i++;
    if (i >= n) {
      if (n < line.length) return undefined; // cut off by the scan limit
      return out;
    }
    const sep = line.charCodeAt(i);
    if (sep === 44 /* , */) return out; // end of the first element
    if (sep !== 59 /* ; */) return undefined;
    i++;
  }
}


function isOwsCode(c: number): boolean {
  return c === 32 || c === 9;
}

// RFC 9110 tchar
function isTokenChar(c: number): boolean {
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57)) return true;
  switch (c) {
    case 33: case 35: case 36: case 37: case 38: case 39: case 42: case 43: // ! # $ % & ' * +
    case 45: case 46: case 94: case 95: case 96: case 124: case 126: // - . ^ _ ` | ~
      return true;
    default:
      return false;
  }
}
