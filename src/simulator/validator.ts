// One StufXsdValidator per process, compiled at the first simulator start: the compiled schemas
// are immutable, and several simulators (tests, benchmarks) can share them.
import { NS } from '../stuf/xml-node.ts';
import { StufXsdValidator } from '../stuf/xsd-validator.ts';

let shared: StufXsdValidator | undefined;

export function simulatorValidator(): StufXsdValidator {
  if (!shared) {
    shared = new StufXsdValidator();
    // Validating any payload of a kind compiles that kind's entry schema; do it now, not on
    // the first real message.
    shared.validate(`<BG:npsLv01 xmlns:BG="${NS.bg}"/>`);
    shared.validate(`<BG:npsLk01 xmlns:BG="${NS.bg}"/>`);
  }
  return shared;
}
