// npm run lint:oas — lints the OpenAPI document the gateway serves (non-strict, as rendered for an
// https public base) with the NL API Design Rules linter (Spectral): the released ADR 2.1.0
// ruleset (/.spectral.yaml) and the develop ruleset (oas/spectral-adr-develop.yaml). Fails on any
// error or warning. Offline: the rulesets are vendored in oas/ and extend only spectral:oas.
//
//   npm run lint:oas                 served document (default)
//   npm run lint:oas -- --strict     the standard's document as served in strict mode (report only)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveOpenApi } from '../src/oas/serve.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The exception lists in the rulesets match this file name. */
const FILE_NAME = 'klantbrug-openapi.yaml';
/** Rendered as a client behind TLS sees it (the servers URL is part of what is linted). */
const PUBLIC_BASE = 'https://klantbrug.example.nl';
const RULESETS = [
  { name: 'NL API Design Rules 2.1.0', file: '.spectral.yaml' },
  { name: 'NL API Design Rules develop (2.2 drafts)', file: 'oas/spectral-adr-develop.yaml' },
];

function spectralCli(): string {
  const require = createRequire(import.meta.url);
  const pkgFile = require.resolve('@stoplight/spectral-cli/package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { bin: { spectral: string } };
  return path.join(path.dirname(pkgFile), pkg.bin.spectral);
}

function main(): number {
  const strict = process.argv.includes('--strict');
  const dir = mkdtempSync(path.join(tmpdir(), 'klantbrug-lint-oas-'));
  try {
    const file = path.join(dir, FILE_NAME);
    writeFileSync(file, serveOpenApi({ strict }).render(PUBLIC_BASE).yaml);
    const cli = spectralCli();
    let failed = false;
    for (const ruleset of RULESETS) {
      console.log(`\n== ${ruleset.name} (${ruleset.file}) on the ${strict ? 'strict' : 'served'} document`);
      // process.execPath: run Spectral on this Node (24), not whatever `node` is first on PATH.
      const run = spawnSync(
        process.execPath,
        [cli, 'lint', '--ruleset', path.join(ROOT, ruleset.file), '--fail-severity', 'warn', file],
        { cwd: ROOT, stdio: 'inherit' },
      );
      if (run.error) throw run.error;
      if (run.status !== 0) failed = true;
    }
    if (strict) return 0; // the standard's own findings are known; see .spectral.yaml
    return failed ? 1 : 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = main();
