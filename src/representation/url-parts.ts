// Validation and normalisation of URL pieces taken from requests (hosts, ports, path prefixes,
// resource paths). Character-by-character checks, no regexes: these run per request.

import { isIP } from 'node:net';

export const SLASH_CODE = 47;
const MAX_HOST_LENGTH = 253 + 1 + 5 + 2;
const MAX_PREFIX_LENGTH = 256;

export function isUnreserved(c: number): boolean {
  // ALPHA / DIGIT / "-" / "." / "_" / "~"
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 46 || c === 95 || c === 126;
}

export function normalizeProto(value: string | undefined): 'http' | 'https' | undefined {
  if (value === undefined) return undefined;
  const v = value.length === 4 || value.length === 5 ? value.toLowerCase() : '';
  return v === 'http' || v === 'https' ? v : undefined;
}

export interface HostPort {
  readonly host: string; // lower-case name, IPv4, or [IPv6]
  readonly port: string; // '' or 1..65535 without leading zeros
}

function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 95;
}

/** Parses `host[:port]`; undefined unless it is a plain DNS name, IPv4 or bracketed IPv6. */
export function parseHostPort(value: string): HostPort | undefined {
  if (value.length === 0 || value.length > MAX_HOST_LENGTH) return undefined;
  let host: string;
  let rest: string;
  if (value.charCodeAt(0) === 91 /* [ */) {
    const close = value.indexOf(']');
    if (close === -1) return undefined;
    const inner = value.slice(1, close);
    if (inner.includes('%') || isIP(inner) !== 6) return undefined; // no zone ids
    host = new URL(`http://[${inner}]`).host; // WHATWG's canonical form: [0:0::1] → [::1]
    rest = value.slice(close + 1);
  } else {
    const colon = value.indexOf(':');
    host = colon === -1 ? value : value.slice(0, colon);
    rest = colon === -1 ? '' : value.slice(colon);
    if (host.length === 0 || host.length > 253) return undefined;
    let labelLength = 0;
    for (let i = 0; i < host.length; i++) {
      const c = host.charCodeAt(i);
      if (c === 46 /* . */) {
        if (labelLength === 0) return undefined; // empty label
        labelLength = 0;
      } else if (isNameChar(c) && ++labelLength <= 63) {
        // ok
      } else {
        return undefined;
      }
    }
    if (labelLength === 0) return undefined; // trailing dot
    host = host.toLowerCase();
    // A name whose last label is a number is an IPv4 address to WHATWG URL ("a.0", "1.2.3",
    // "x.0x1f" fail to parse there), so only a real dotted-quad may end in one.
    if (endsInANumber(host) && isIP(host) !== 4) return undefined;
  }
  if (rest.length === 0) return { host, port: '' };
  if (rest.charCodeAt(0) !== 58 /* : */ || rest.length < 2 || rest.length > 6) return undefined;
  let port = 0;
  for (let i = 1; i < rest.length; i++) {
    const c = rest.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
    port = port * 10 + (c - 48);
  }
  if (port < 1 || port > 65535) return undefined;
  return { host, port: String(port) };
}

function endsInANumber(host: string): boolean {
  const last = host.slice(host.lastIndexOf('.') + 1);
  const hex = last.startsWith('0x');
  const digits = hex ? last.slice(2) : last;
  for (let i = 0; i < digits.length; i++) {
    const c = digits.charCodeAt(i);
    const ok = (c >= 48 && c <= 57) || (hex && c >= 97 && c <= 102);
    if (!ok) return false;
  }
  return true; // also for a bare "0x", which WHATWG reads as the number 0
}

export function originOf(proto: 'http' | 'https', hp: HostPort): string {
  const defaultPort = proto === 'https' ? '443' : '80';
  return hp.port === '' || hp.port === defaultPort ? `${proto}://${hp.host}` : `${proto}://${hp.host}:${hp.port}`;
}

/** '' for '/' or nothing; undefined for anything but '/'-separated unreserved segments. */
export function normalizePrefix(value: string): string | undefined {
  if (value.length > MAX_PREFIX_LENGTH || value.charCodeAt(0) !== SLASH_CODE) return undefined;
  let end = value.length;
  if (end > 1 && value.charCodeAt(end - 1) === SLASH_CODE) end--; // one trailing slash tolerated
  if (end === 1) return '';
  let segStart = 1;
  for (let i = 1; i <= end; i++) {
    const c = i === end ? SLASH_CODE : value.charCodeAt(i);
    if (c === SLASH_CODE) {
      const len = i - segStart;
      if (len === 0) return undefined; // '//' would turn a relative link into a network-path one
      if (value.charCodeAt(segStart) === 46 && (len === 1 || (len === 2 && value.charCodeAt(segStart + 1) === 46))) {
        return undefined; // '.' and '..'
      }
      segStart = i + 1;
    } else if (!isUnreserved(c)) {
      return undefined;
    }
  }
  return value.slice(0, end);
}

function isPchar(c: number): boolean {
  // unreserved / sub-delims / ":" / "@" / "%" (pct-encoded, checked separately)
  if (isUnreserved(c)) return true;
  switch (c) {
    case 33: case 36: case 38: case 39: case 40: case 41: case 42: case 43: case 44: case 59: case 61: // !$&'()*+,;=
    case 58: case 64: // : @
      return true;
    default:
      return false;
  }
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** '/seg/seg' with non-empty pchar segments, no '.'/'..', valid %HH; no query or fragment. */
export function isCleanResourcePath(path: string): boolean {
  if (path.length < 2 || path.charCodeAt(0) !== SLASH_CODE) return false;
  let segStart = 1;
  for (let i = 1; i <= path.length; i++) {
    const c = i === path.length ? SLASH_CODE : path.charCodeAt(i);
    if (c === SLASH_CODE) {
      const len = i - segStart;
      if (len === 0) return false;
      if (path.charCodeAt(segStart) === 46 && (len === 1 || (len === 2 && path.charCodeAt(segStart + 1) === 46))) return false;
      segStart = i + 1;
    } else if (c === 37 /* % */) {
      if (!isHex(path.charCodeAt(i + 1)) || !isHex(path.charCodeAt(i + 2))) return false;
      i += 2;
    } else if (!isPchar(c)) {
      return false;
    }
  }
  return true;
}
