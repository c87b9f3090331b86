// Value conversions between a Klant leaf and StUF element text. Reading is lenient (backends
// pad, space and case values freely); writing is strict: a value that would make the message
// XSD-invalid is refused with a reason, and the engine then uses the field's fallback.
import { attr, attrValue, type XmlAttr, type XmlNode } from '../stuf/xml-node.ts';
import { STUF_NS } from './model.ts';

export type ConversionType = 'string' | 'integer' | 'date' | 'postcode' | 'code';

export interface StufText {
  text: string;
  attrs: XmlAttr[];
}

export type WriteResult = { ok: true; value: StufText } | { ok: false; reason: string };

export interface Constraints {
  maxLength?: number | undefined;
  length?: number | undefined;
  pattern?: RegExp | undefined;
  min?: number | undefined;
  max?: number | undefined;
}

export interface Conversion {
  type: ConversionType;
  /** StUF text (not empty, not nil) → Klant value. */
  read(text: string, node: XmlNode): string | number | null;
  /** Klant value (not empty) → StUF text, or why the element cannot hold it. */
  write(value: string | number): WriteResult;
}

export interface CodeTable {
  /** Normalised StUF value → Klant value. */
  toKlant: Map<string, string>;
  /** Klant value → StUF value to send (the first listed). */
  toStuf: Map<string, string>;
  unknown: 'empty' | 'keep';
}

export function makeConversion(type: ConversionType, constraints: Constraints, codes?: CodeTable): Conversion {
  const check = (text: string): WriteResult => {
    const problem = violation(text, constraints);
    return problem ? { ok: false, reason: problem } : { ok: true, value: { text, attrs: [] } };
  };
  switch (type) {
    case 'integer':
      return {
        type,
        read: readInteger,
        write(value) {
          const n = typeof value === 'number' ? value : Number(value);
          if (!Number.isInteger(n)) return { ok: false, reason: 'not an integer' };
          if (constraints.min !== undefined && n < constraints.min) return { ok: false, reason: `less than ${constraints.min}` };
          if (constraints.max !== undefined && n > constraints.max) return { ok: false, reason: `more than ${constraints.max}` };
          return check(String(n));
        },
      };
    case 'date':
      return {
        type,
        read: (text, node) => readDate(text, attrValue(node, 'indOnvolledigeDatum')),
        write(value) {
          const d = writeDate(String(value));
          if (!d.ok) return d;
          const problem = violation(d.value.text, constraints);
          return problem ? { ok: false, reason: problem } : d;
        },
      };
    case 'postcode':
      return { type, read: normalisePostcode, write: (value) => check(normalisePostcode(String(value))) };
    case 'code': {
      const table = codes ?? { toKlant: new Map(), toStuf: new Map(), unknown: 'empty' };
      return {
        type,
        read(text) {
          const hit = table.toKlant.get(normaliseCode(text));
          if (hit !== undefined) return hit;
          return table.unknown === 'keep' ? text.trim() : '';
        },
        write(value) {
          const code = table.toStuf.get(String(value));
          if (code === undefined) return { ok: false, reason: `no StUF code for '${String(value)}'` };
          return check(code);
        },
      };
    }
    default:
      return { type: 'string', read: (text) => text.trim(), write: (value) => check(String(value)) };
  }
}

/** How a fallback extraElement holds a value: verbatim text. */
export function verbatim(kind: 'string' | 'integer' | 'strings'): Conversion {
  return makeConversion(kind === 'integer' ? 'integer' : 'string', {});
}

function violation(text: string, c: Constraints): string | undefined {
  const length = [...text].length;
  if (c.maxLength !== undefined && length > c.maxLength) return `longer than ${c.maxLength} characters`;
  if (c.length !== undefined && length !== c.length) return `not exactly ${c.length} characters`;
  if (c.pattern && !c.pattern.test(text)) return `does not match ${c.pattern.source.slice(4, -2)}`;
  return undefined;
}

/** An XSD pattern as an anchored JS RegExp (the XSD subset used in StUF schemas is JS-compatible). */
export function xsdPattern(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`, 'u');
}

function readInteger(text: string): number | null {
  const m = /^\s*\+?(\d+)\s*$/.exec(text);
  return m?.[1] ? Number.parseInt(m[1], 10) : null;
}

/** `1234 ab` → `1234AB`: backends store postcodes with spaces and in lower case. */
function normalisePostcode(text: string): string {
  return text.replace(/\s+/g, '').toUpperCase();
}

/** Case, diacritics and spacing do not distinguish codes (`Coöperatie` = `cooperatie`). */
export function normaliseCode(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/**
 * StUF date (YYYYMMDD, decimal: leading zeros may be missing) → ISO. Partial dates (StUF:indOnvolledigeDatum
 * D/M, or zeros for the unknown part) become YYYY-MM / YYYY; J (wholly unknown) and 0 become "".
 */
export function readDate(text: string, indicator: string | undefined): string {
  const raw = text.trim();
  const digits = raw.replace(/-/g, '');
  if (!/^\d{1,8}$/.test(digits)) return raw; // not a StUF date: keep what the backend said
  const d = digits.padStart(8, '0');
  const ind = indicator?.trim().toUpperCase();
  if (ind === 'J' || /^0+$/.test(d)) return '';
  const y = d.slice(0, 4);
  const m = d.slice(4, 6);
  const day = d.slice(6, 8);
  if (ind === 'M' || m === '00') return y;
  if (ind === 'D' || day === '00') return `${y}-${m}`;
  return `${y}-${m}-${day}`;
}

/** ISO YYYY-MM-DD / YYYY-MM / YYYY → StUF date; the unknown part as zeros with StUF:indOnvolledigeDatum. */
export function writeDate(iso: string): WriteResult {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(iso);
  const year = m?.[1];
  if (!m || !year || year === '0000') return { ok: false, reason: 'not a date (YYYY-MM-DD, YYYY-MM or YYYY)' };
  const month = m[2];
  const day = m[3];
  if (month === undefined) return partial(`${year}0000`, 'M');
  const mm = Number(month);
  if (mm < 1 || mm > 12) return { ok: false, reason: 'not a date (month out of range)' };
  if (day === undefined) return partial(`${year}${month}00`, 'D');
  const dd = Number(day);
  const lastDay = new Date(0);
  lastDay.setUTCFullYear(Number(year), mm, 0); // day 0 of the next month (setUTCFullYear: no 19xx shift)
  const daysInMonth = lastDay.getUTCDate();
  if (dd < 1 || dd > daysInMonth) return { ok: false, reason: 'not a date (day out of range)' };
  return { ok: true, value: { text: `${year}${month}${day}`, attrs: [] } };
}

function partial(text: string, indicator: 'D' | 'M'): WriteResult {
  return { ok: true, value: { text, attrs: [attr(STUF_NS, 'indOnvolledigeDatum', indicator)] } };
}
