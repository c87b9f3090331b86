// Field paths of OpenAPI 3.0 schemas, for the `fields` matcher. Pure: takes the parsed document.
// Resolves local $refs and allOf, walks properties (and array items' properties), and returns the
// union over the given schemas in first-seen order (groups before their children). Used by the
// test that keeps klant-field-paths.ts in step with schemas/oas/klanten-api-1.0.0.openapi.yaml.

type SchemaObject = {
  $ref?: string;
  allOf?: SchemaObject[];
  properties?: Record<string, SchemaObject>;
  items?: SchemaObject;
};

const MAX_DEPTH = 32; // guards against recursive schemas

function resolve(doc: unknown, schema: SchemaObject): SchemaObject {
  let current = schema;
  for (let hops = 0; current.$ref !== undefined; hops++) {
    const ref = current.$ref;
    if (hops > MAX_DEPTH || !ref.startsWith('#/')) throw new Error(`unsupported $ref ${ref}`);
    let node: unknown = doc;
    for (const part of ref.slice(2).split('/')) {
      node = (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    }
    if (typeof node !== 'object' || node === null) throw new Error(`unresolved $ref ${ref}`);
    current = node as SchemaObject;
  }
  return current;
}

function collectProperties(doc: unknown, schema: SchemaObject, depth: number): [string, SchemaObject][] {
  if (depth > MAX_DEPTH) throw new Error('schema nested too deeply');
  const resolved = resolve(doc, schema);
  const out: [string, SchemaObject][] = [];
  for (const part of resolved.allOf ?? []) out.push(...collectProperties(doc, part, depth + 1));
  for (const [name, sub] of Object.entries(resolved.properties ?? {})) out.push([name, sub]);
  if (resolved.items) out.push(...collectProperties(doc, resolved.items, depth + 1));
  return out;
}

/** Union of the dotted field paths of `schemaNames` under components.schemas. */
export function fieldPathsFromOas(doc: unknown, schemaNames: readonly string[]): string[] {
  const seen = new Set<string>();
  const walk = (schema: SchemaObject, prefix: string, depth: number): void => {
    for (const [name, sub] of collectProperties(doc, schema, depth)) {
      const path = prefix === '' ? name : `${prefix}.${name}`;
      seen.add(path);
      walk(sub, path, depth + 1);
    }
  };
  for (const name of schemaNames) walk({ $ref: `#/components/schemas/${name}` }, '', 0);
  return [...seen];
}
