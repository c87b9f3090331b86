// One StufXsdValidator per process, compiled at the first simulator start: the compiled schemas
// are immutable, and several simulators (tests, benchmarks) can share them.
import { StufXsdValidator } from '../stuf/xsd-validator.ts';
import { SECTORS, type SectorName } from './sectors.ts';

let shared: StufXsdValidator | undefined;
const warm = new Set<SectorName>();

/** The shared validator, with the entry schemas of `sectors` compiled (others compile on first use). */
export function simulatorValidator(sectors: readonly SectorName[] = ['bg']): StufXsdValidator {
  shared ??= new StufXsdValidator();
  for (const name of sectors) {
    if (warm.has(name)) continue;
    warm.add(name);
    // Validating any payload of a kind compiles that kind's entry schema; do it now, not on
    // the first real message.
    const { namespace, entities } = SECTORS[name];
    const prefix = entities[0]?.prefix ?? '';
    shared.validate(`<X:${prefix}Lv01 xmlns:X="${namespace}"/>`);
    shared.validate(`<X:${prefix}Lk01 xmlns:X="${namespace}"/>`);
  }
  return shared;
}
