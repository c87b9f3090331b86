// Reads a mapping file: YAML → zod (syntax) → compile (references). Any problem throws one
// MappingError listing every bad entry as `<file>: <path>: <message>`, so start-up stops with a
// message that says what to fix.
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { compileMapping, type Issue } from './compile.ts';
import { MappingError } from './errors.ts';
import type { DialectMapping } from './model.ts';
import { mappingFileSchema } from './schema.ts';

const MAX_LISTED = 20;

export function loadMapping(file: string): DialectMapping {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new MappingError(`${file}: cannot read mapping file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseMapping(text, file);
}

/** Parse mapping-file text; `file` names it in messages. */
export function parseMapping(text: string, file: string): DialectMapping {
  const doc = parseDocument(text, { prettyErrors: false });
  const first = doc.errors[0];
  if (first) {
    const before = text.slice(0, first.pos[0]).split('\n');
    const where = `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
    throw new MappingError(`${file}: YAML error at ${where}: ${first.message.split('\n')[0]}`);
  }
  const parsed = mappingFileSchema.safeParse(doc.toJS());
  if (!parsed.success) throw fail(file, parsed.error.issues.map(zodIssue));
  const { mapping, issues } = compileMapping(file, parsed.data);
  if (issues.length > 0) throw fail(file, issues);
  return mapping;
}

function fail(file: string, all: Issue[]): MappingError {
  // A bad shared field is found once per entity: report it once.
  const issues = [...new Map(all.map((i) => [`${i.path}\n${i.message}`, i])).values()];
  const lines = issues.slice(0, MAX_LISTED).map((i) => `${file}: ${i.path || '(top level)'}: ${i.message}`);
  if (issues.length > MAX_LISTED) lines.push(`${file}: … and ${issues.length - MAX_LISTED} more`);
  return new MappingError(lines.join('\n'));
}

function zodIssue(issue: z.core.$ZodIssue): Issue {
  if (issue.code === 'unrecognized_keys') {
    return { path: formatPath([...issue.path, ...issue.keys.slice(0, 1)]), message: `unknown key${issue.keys.length > 1 ? `s ${issue.keys.join(', ')}` : ''}` };
  }
  return { path: formatPath(issue.path), message: issue.message.replace(/^Invalid input: /, '') };
}

/** ['entities', 'vestiging', 'fields', 3, 'element'] → `entities.vestiging.fields[3].element` */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out;
}
