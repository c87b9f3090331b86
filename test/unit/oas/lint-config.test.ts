// The ADR lint setup: vendored rulesets unchanged, every exception pointing at a real location
// of the served document (and at the standard's own names), and the lint itself clean.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildOpenApi } from '../../../src/oas/document.ts';

const root = new URL('../../../', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, root), 'utf8');
const served = buildOpenApi({ strict: false }) as unknown;

interface SpectralConfig {
  extends: string[];
  overrides: { files: string[]; rules: Record<string, string> }[];
}

function resolvePointer(doc: unknown, pointer: string): unknown {
  let node = doc;
  for (const raw of pointer.replace(/^\//, '').split('/')) {
    const token = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = (node as Record<string, unknown> | undefined)?.[token];
  }
  return node;
}

describe('ADR lint configuration', () => {
  it('vendors the rulesets byte for byte (sha256 in oas/SOURCES.md)', () => {
    const sources = read('oas/SOURCES.md');
    for (const file of ['adr-2.1.0-spectral.yml', 'adr-develop-2026-05-18-linter.yaml']) {
      const sha = createHash('sha256').update(readFileSync(new URL(`oas/${file}`, root))).digest('hex');
      expect(sources).toContain(`| ${file} |`);
      expect(sources).toContain(sha);
    }
  });

  it.each(['.spectral.yaml', 'oas/spectral-adr-develop.yaml'])('%s: every exception names an existing location', (file) => {
    const config = parse(read(file)) as SpectralConfig;
    expect(config.extends).toHaveLength(1);
    for (const override of config.overrides) {
      for (const pattern of override.files) {
        const [name, pointer] = pattern.split('#');
        expect(name).toBe('klantbrug-openapi.yaml');
        expect(resolvePointer(served, pointer ?? ''), pattern).toBeDefined();
      }
    }
  });

  it('excepts only the standard\'s "__" filter names from camelCase query keys', () => {
    const config = parse(read('oas/spectral-adr-develop.yaml')) as SpectralConfig;
    const override = config.overrides.find((o) => 'nlgov:query-keys-camel-case' in o.rules);
    const names = (override?.files ?? []).map((p) => (resolvePointer(served, p.split('#')[1] ?? '') as { name: string }).name);
    expect(names).toHaveLength(20);
    for (const name of names) expect(name).toContain('__');
  });

  it('lints the served document with 0 errors and 0 warnings (npm run lint:oas)', () => {
    const run = spawnSync(process.execPath, ['scripts/lint-oas.ts'], { cwd: root, encoding: 'utf8' });
    expect(run.stderr + run.stdout).not.toMatch(/problems?\s*\(/);
    expect(run.status).toBe(0);
  });
});
