// Rewriting an upstream's own URLs in parsed JSON (REST upstream proxy): walks values, not bytes.

const SLASH_CODE = 47;
const MAX_JSON_DEPTH = 512;

function matchingPrefix(value: string, from: readonly string[]): string | undefined {
  for (const prefix of from) {
    if (prefix.length === 0 || !value.startsWith(prefix)) continue;
    if (value.length === prefix.length || prefix.charCodeAt(prefix.length - 1) === SLASH_CODE) return prefix;
    const next = value.charCodeAt(prefix.length);
    if (next === SLASH_CODE || next === 63 /* ? */ || next === 35 /* # */) return prefix;
  }
  return undefined;
}

/**
 * Walks parsed JSON and replaces every string value that is, or starts with, one of the `from`
 * bases (at a '/', '?', '#' boundary, so `.../api/v1` does not match `.../api/v10`) by
 * `to(value, matchedBase)`. Keys are left alone. Returns a new value sharing every unchanged
 * subtree with the input (the input is not mutated). Throws RangeError beyond 512 levels.
 */
export function rewriteUrls<T>(json: T, from: readonly string[], to: (url: string, matchedBase: string) => string): T {
  return rewrite(json, from, to, 0) as T;
}

function rewrite(value: unknown, from: readonly string[], to: (url: string, base: string) => string, depth: number): unknown {
  if (typeof value === 'string') {
    const base = matchingPrefix(value, from);
    return base === undefined ? value : to(value, base);
  }
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_JSON_DEPTH) throw new RangeError('JSON nested too deeply to rewrite');
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const before: unknown = value[i];
      const after = rewrite(before, from, to, depth + 1);
      if (after !== before) {
        out ??= value.slice();
        out[i] = after;
      }
    }
    return out ?? value;
  }
  const record = value as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(record)) {
    const before = record[key];
    const after = rewrite(before, from, to, depth + 1);
    if (after !== before) {
      if (out === undefined) {
        out = {};
        for (const k of Object.keys(record)) defineValue(out, k, record[k]);
      }
      defineValue(out, key, after);
    }
  }
  return out ?? value;
}

/** Own data property, also for a JSON key named `__proto__` (plain assignment would set the prototype). */
function defineValue(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
