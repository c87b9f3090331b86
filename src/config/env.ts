// Environment overrides: KLANTBRUG_<SECTION>__<KEY>[__<KEY>…] sets one key (double underscore =
// one level deeper, a number indexes a list), plus the conventional PORT and REDIS_URL. Names are
// matched against the schema, so a typo is an error instead of a setting that silently does nothing.
import { ConfigError } from './errors.ts';
import { isTextLeaf, step } from './schema-walk.ts';

export const ENV_PREFIX = 'KLANTBRUG_';
/** KLANTBRUG_* variables that are not config keys. */
const RESERVED = new Set(['KLANTBRUG_CONFIG']);

export type PathSegment = string | number;

export interface Override {
  path: PathSegment[];
  /** undefined = remove the key (the variable was set to the empty string). */
  value: unknown;
  /** Human-readable origin, e.g. `env KLANTBRUG_SERVER__PORT`. */
  source: string;
}

const ALIASES: ReadonlyArray<{ name: string; path: string[] }> = [
  { name: 'PORT', path: ['server', 'port'] },
  { name: 'REDIS_URL', path: ['redis', 'url'] },
];

/**
 * The overrides found in `env`, in the order they apply: aliases first, then KLANTBRUG_* sorted by
 * name depth (a whole section before one of its keys) and then by name, so the result does not
 * depend on the order of the environment.
 */
export function envOverrides(env: NodeJS.ProcessEnv, schema: unknown): Override[] {
  const result: Override[] = [];
  for (const alias of ALIASES) {
    const raw = env[alias.name];
    if (raw === undefined) continue;
    result.push(makeOverride(schema, alias.path, raw, `env ${alias.name}`));
  }
  const names = Object.keys(env)
    .filter((n) => n.startsWith(ENV_PREFIX) && !RESERVED.has(n))
    .sort((a, b) => a.split('__').length - b.split('__').length || a.localeCompare(b));
  for (const name of names) {
    const raw = env[name];
    if (raw === undefined) continue;
    const segments = name.slice(ENV_PREFIX.length).split('__');
    const first = segments[0] ?? '';
    // Only names that start with a known section (or clearly try to nest) are config overrides;
    // other KLANTBRUG_* variables belong to tools and scripts.
    if (step(schema, first) === null && segments.length === 1) continue;
    result.push(makeOverride(schema, segments, raw, `env ${name}`));
  }
  return result;
}

function makeOverride(schema: unknown, segments: string[], raw: string, source: string): Override {
  const path: PathSegment[] = [];
  let node: unknown = schema;
  for (const segment of segments) {
    const next = segment === '' ? null : step(node, segment);
    if (next === null) {
      const where = path.length > 0 ? ` under '${path.join('.')}'` : '';
      throw new ConfigError([{ path: [...path, segment], message: `unknown key '${segment}'${where}`, source }]);
    }
    path.push(next.kind === 'key' ? next.key : next.index);
    node = next.schema;
  }
  return { path, value: parseValue(raw, node, path, source), source };
}

const LOOKS_LIKE_JSON = /^\s*(?:[[{"]|-?\d|true\s*$|false\s*$|null\s*$)/;

function parseValue(raw: string, schema: unknown, path: PathSegment[], source: string): unknown {
  if (raw === '') return undefined;
  if (isTextLeaf(schema) || !LOOKS_LIKE_JSON.test(raw)) return raw;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    // A number-looking text like "8000abc" goes to the schema as text and fails there with a type
    // error; an object or list that does not parse is reported here (without the parser's message,
    // which quotes the value and so could quote a secret).
    if (/^\s*[[{]/.test(raw)) throw new ConfigError([{ path, message: 'not valid JSON', source }]);
    return raw;
  }
}

