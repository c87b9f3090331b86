// Reads the configuration once at start-up: YAML file → environment overrides → secret files →
// zod validation. Every value remembers where it came from so an error can say which file or
// variable to fix. Modules get the parts they need passed in; nothing imports a global config.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { envOverrides } from './env.ts';
import type { PathSegment } from './env.ts';
import { ConfigError } from './errors.ts';
import type { ConfigIssue } from './errors.ts';
import { configSchema } from './schema.ts';
import type { Config } from './schema.ts';
import { SECRET_KEYS } from './schema-walk.ts';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The embedded default, used when neither `file` nor $KLANTBRUG_CONFIG names another file. */
export const DEFAULT_CONFIG_FILE = path.join(PROJECT_ROOT, 'config/default.yaml');

export interface LoadConfigOptions {
  /** YAML file; default $KLANTBRUG_CONFIG, else config/default.yaml. Relative to `cwd`. */
  file?: string;
  /** Environment to read overrides from; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Base for relative file names (the config file and secret files); default process.cwd(). */
  cwd?: string;
}

export function loadConfig(opts: LoadConfigOptions = {}): Config {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const named = opts.file ?? env['KLANTBRUG_CONFIG'];
  const file = named !== undefined && named !== '' ? path.resolve(cwd, named) : DEFAULT_CONFIG_FILE;
  const source = `file ${path.relative(cwd, file) || file}`;
  return parseConfig(readYaml(file, source), { env, cwd, source });
}

export interface ParseConfigOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Where `raw` came from, for error messages. */
  source?: string;
}

/** Validates an already-parsed config object (with env overrides and secret files applied). */
export function parseConfig(raw: unknown, opts: ParseConfigOptions = {}): Config {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const baseSource = opts.source ?? 'config object';
  if (raw === null || raw === undefined) raw = {};
  if (!isRecord(raw)) {
    throw new ConfigError([{ path: [], message: 'the configuration must be a mapping of sections', source: baseSource }]);
  }
  const tree = structuredClone(raw);
  const sources = new SourceMap(baseSource);

  rejectSecretAndFile(tree, [], baseSource);
  for (const o of envOverrides(env, configSchema)) {
    setPath(tree, o.path, o.value, o.source);
    sources.set(o.path, o.source);
    dropSecretSibling(tree, o.path);
  }
  readSecretFiles(tree, [], cwd, sources);

  const result = configSchema.safeParse(tree);
  if (!result.success) throw new ConfigError(toIssues(result.error.issues, sources));
  return result.data;
}

function readYaml(file: string, source: string): unknown {
  if (!existsSync(file)) throw new ConfigError([{ path: [], message: 'file not found', source }]);
  const doc = parseDocument(readFileSync(file, 'utf8'), { prettyErrors: true });
  const first = doc.errors[0];
  if (first) {
    const where = first.linePos?.[0];
    const at = where ? ` at line ${where.line}, column ${where.col}` : '';
    throw new ConfigError([{ path: [], message: `YAML ${first.code}${at}`, source }]);
  }
  return doc.toJS() as unknown;
}

/** Remembers which source set which key; a key not set by an override came from the base. */
class SourceMap {
  private readonly byPath = new Map<string, string>();
  private readonly base: string;

  constructor(base: string) {
    this.base = base;
  }

  set(at: readonly PathSegment[], source: string): void {
    this.byPath.set(key(at), source);
  }

  /** The source of the deepest overridden ancestor of `at` (or of `at` itself). */
  of(at: readonly PathSegment[]): string {
    for (let n = at.length; n >= 0; n--) {
      const found = this.byPath.get(key(at.slice(0, n)));
      if (found !== undefined) return found;
    }
    return this.base;
  }
}

const key = (at: readonly PathSegment[]): string => at.map(String).join('\u0000');

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type Container = Record<string, unknown> | unknown[];

function setPath(tree: Record<string, unknown>, at: PathSegment[], value: unknown, source: string): void {
  let node: Container = tree;
  for (let i = 0; i < at.length; i++) {
    const segment = at[i] as PathSegment;
    const last = i === at.length - 1;
    if (Array.isArray(node)) {
      if (typeof segment !== 'number' || segment > node.length) {
        const issue = { path: at.slice(0, i + 1), message: `index out of range (the list has ${node.length} items)`, source };
        throw new ConfigError([issue]);
      }
    }
    const holder = node as Record<PathSegment, unknown>;
    if (last) {
      if (value === undefined && !Array.isArray(node)) delete holder[segment];
      else holder[segment] = value;
      return;
    }
    const nextIsIndex = typeof at[i + 1] === 'number';
    const child = holder[segment];
    if (nextIsIndex ? !Array.isArray(child) : !isRecord(child)) holder[segment] = nextIsIndex ? [] : {};
    node = holder[segment] as Container;
  }
}

function parentOf(tree: Record<string, unknown>, at: PathSegment[]): Record<string, unknown> | null {
  let node: unknown = tree;
  for (const segment of at.slice(0, -1)) {
    if (typeof node !== 'object' || node === null) return null;
    node = (node as Record<PathSegment, unknown>)[segment];
  }
  return isRecord(node) ? node : null;
}

/** An override of `secret` beats a `secretFile` from a lower layer, and the other way round. */
function dropSecretSibling(tree: Record<string, unknown>, at: PathSegment[]): void {
  const last = at[at.length - 1];
  if (typeof last !== 'string') return;
  const parent = parentOf(tree, at);
  if (!parent) return;
  for (const k of SECRET_KEYS) {
    if (last === k) delete parent[`${k}File`];
    if (last === `${k}File`) delete parent[k];
  }
}

function rejectSecretAndFile(node: unknown, at: PathSegment[], source: string): void {
  if (Array.isArray(node)) {
    node.forEach((child, i) => rejectSecretAndFile(child, [...at, i], source));
    return;
  }
  if (!isRecord(node)) return;
  for (const k of SECRET_KEYS) {
    if (node[k] !== undefined && node[`${k}File`] !== undefined) {
      throw new ConfigError([{ path: [...at, `${k}File`], message: `give ${k} or ${k}File, not both`, source }]);
    }
  }
  for (const [k, child] of Object.entries(node)) rejectSecretAndFile(child, [...at, k], source);
}

/** Replaces every `<secret>File: path` by `<secret>: <file contents>` (trailing newline trimmed). */
function readSecretFiles(node: unknown, at: PathSegment[], cwd: string, sources: SourceMap): void {
  if (Array.isArray(node)) {
    node.forEach((child, i) => readSecretFiles(child, [...at, i], cwd, sources));
    return;
  }
  if (!isRecord(node)) return;
  for (const k of SECRET_KEYS) {
    const fileKey = `${k}File`;
    const named = node[fileKey];
    if (named === undefined) continue;
    const source = sources.of([...at, fileKey]);
    if (typeof named !== 'string' || named === '') {
      throw new ConfigError([{ path: [...at, fileKey], message: 'expected a file name', source }]);
    }
    const file = path.resolve(cwd, named);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new ConfigError([{ path: [...at, fileKey], message: `cannot read ${file} (${why})`, source }]);
    }
    const secret = text.replace(/[\r\n]+$/, '');
    if (secret === '') throw new ConfigError([{ path: [...at, fileKey], message: `${file} is empty`, source }]);
    node[k] = secret;
    delete node[fileKey];
    sources.set([...at, k], `file ${named} named by ${source}`);
  }
  for (const [k, child] of Object.entries(node)) readSecretFiles(child, [...at, k], cwd, sources);
}

function toIssues(issues: z.core.$ZodIssue[], sources: SourceMap): ConfigIssue[] {
  const result: ConfigIssue[] = [];
  for (const issue of issues) {
    const at = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) result.push({ path: [...at, k], message: 'unknown key', source: sources.of([...at, k]) });
      continue;
    }
    result.push({ path: at, message: describe(issue), source: sources.of(at) });
  }
  return result;
}

/** zod's message (which never quotes the offending value, so never a secret), "required" for a missing key. */
function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && / received undefined$/.test(issue.message)) return `required (expected ${issue.expected})`;
  return issue.message;
}
