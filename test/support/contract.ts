// Contract check: every response a test saw must be described by the served OpenAPI document.
import { buildOpenApi } from '../../src/oas/document.ts';
import type { OpenApiDocument } from '../../src/oas/types.ts';
import type { ApiResponse } from './harness.ts';
import { validateResponse } from './oas-validator.ts';

const docs = new Map<boolean, OpenApiDocument>();

function docFor(strict: boolean): OpenApiDocument {
  let d = docs.get(strict);
  if (!d) {
    d = buildOpenApi({ strict });
    docs.set(strict, d);
  }
  return d;
}

/** Problems per response ("GET /api/v1/klanten → 200: ..."); empty when all conform. */
export function contractProblems(responses: readonly ApiResponse[], strict = false): string[] {
  const out: string[] = [];
  for (const r of responses) {
    const problems = validateResponse(
      { method: r.method, path: r.path, status: r.status, headers: r.headers, body: r.body ?? (r.text || undefined) },
      docFor(strict),
      { referenceRendering: strict },
    );
    for (const p of problems) out.push(`${r.method} ${r.path} → ${r.status}: ${p}`);
  }
  return out;
}
