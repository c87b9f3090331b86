// Public surface of the mapping engine (Klant JSON ↔ StUF objects, driven by mappings/*.yaml).
export { KlantMapper, type EntityInfo, type ToObjectOptions } from './klant-mapper.ts';
export { loadMapping, parseMapping } from './load.ts';
export { MappingError, NotRepresentableError } from './errors.ts';
export type { DialectMapping, Verwerkingssoort } from './model.ts';
