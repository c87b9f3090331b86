// Public surface of the StUF-BG / StUF-ZKN backend simulator (used by the gateway's embedded default, tests
// and benchmarks). Everything else in this folder is internal.
export { startSimulator, type SimObject, type Simulator, type SimulatorOptions, type SimulatorStats } from './simulator.ts';
export { FaultSchema, GARBAGE_KINDS, HOSTILE_KINDS, type Fault, type FaultType } from './faults.ts';
export { FOUTCODE } from './fout.ts';
export type { RecordedMessage, MessageStats } from './message-log.ts';
export { ENTITY_CODES, type BgEntityCode, type EntityCode } from './entity-model.ts';
export { SECTORS, SECTOR_NAMES, type SectorName } from './sectors.ts';
export { BRONORGANISATIES as DEMO_BRONORGANISATIES } from './demo/values.ts';
