// Reads the shape of the zod config schema so environment variables can be matched against it:
// which keys exist under an object, what an array holds, and whether a leaf is a string (a string
// leaf takes the variable's raw text, so a numeric secret stays a string).

/** The parts of a zod v4 schema definition this module looks at. */
interface Def {
  type: string;
  innerType?: Node;
  in?: Node;
  element?: Node;
  shape?: Record<string, Node>;
  entries?: Record<string, unknown>;
  values?: unknown[];
}
interface Node {
  def: Def;
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);

function asNode(schema: unknown): Node {
  return schema as Node;
}

/** Strips optional/default/transform wrappers down to the schema that describes the value. */
function unwrap(schema: unknown): Node {
  let node = asNode(schema);
  for (;;) {
    const def = node.def;
    if (WRAPPERS.has(def.type) && def.innerType) node = def.innerType;
    else if (def.type === 'pipe' && def.in) node = def.in;
    else return node;
  }
}

export type Step =
  | { kind: 'key'; key: string; schema: unknown }
  | { kind: 'index'; index: number; schema: unknown };

/** Spelling-insensitive key match: `PUBLIC_BASE_URL`, `publicbaseurl` and `publicBaseUrl` are one key. */
export function normalizeKey(key: string): string {
  return key.replace(/_/g, '').toLowerCase();
}

/** Keys whose value may instead be read from a file named by `<key>File`. */
export const SECRET_KEYS = ['secret', 'password', 'sentinelPassword'] as const;

/**
 * One step down from `schema` following `segment` (an env var name part); null when the schema
 * has no such key. `<secret>File` resolves to a pseudo key next to a secret key.
 */
export function step(schema: unknown, segment: string): Step | null {
  const node = unwrap(schema);
  if (node.def.type === 'array' && node.def.element && /^\d+$/.test(segment)) {
    return { kind: 'index', index: Number(segment), schema: node.def.element };
  }
  if (node.def.type !== 'object' || !node.def.shape) return null;
  const wanted = normalizeKey(segment);
  for (const [key, child] of Object.entries(node.def.shape)) {
    if (normalizeKey(key) === wanted) return { kind: 'key', key, schema: child };
  }
  for (const key of SECRET_KEYS) {
    if (key in node.def.shape && normalizeKey(`${key}File`) === wanted) {
      return { kind: 'key', key: `${key}File`, schema: node.def.shape[key] };
    }
  }
  return null;
}

/** True when the value at this schema is text (string, string enum or string literal). */
export function isTextLeaf(schema: unknown): boolean {
  const def = unwrap(schema).def;
  if (def.type === 'string') return true;
  if (def.type === 'enum') return Object.values(def.entries ?? {}).every((v) => typeof v === 'string');
  if (def.type === 'literal') return (def.values ?? []).every((v) => typeof v === 'string');
  return false;
}
