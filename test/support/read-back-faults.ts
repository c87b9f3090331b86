// Creates the backend accepts but the gateway cannot read back (create-reconciler.ts), made with
// the simulator's fault injection: the T is held back a moment, and once the simulator has
// received it the questions for that subject type fail (Fo02).
import type { SubjectType } from '../../src/domain/klant.ts';
import type { Simulator } from '../../src/simulator/index.ts';
import { until } from '../unit/notifications/receiver.ts';
import type { ApiResponse, Harness } from './harness.ts';
import { LK01, klantBody, messageCount } from './write-fixtures.ts';

export const LV01: Record<SubjectType, string> = { natuurlijk_persoon: 'npsLv01', niet_natuurlijk_persoon: 'nnpLv01', vestiging: 'vesLv01' };

/**
 * POSTs a klant through `harness`; its T is accepted, the read-back is not answered.
 * `times`: how many questions fail (undefined: until the fault is cleared).
 */
export async function createWhileReadBackFails(
  simulator: Simulator,
  harness: Harness,
  subjectType: SubjectType,
  klantnummer: string,
  times?: number,
): Promise<ApiResponse> {
  const lk01 = LK01[subjectType];
  const received = messageCount(simulator, lk01);
  simulator.setFault({ type: 'slow', ms: 300, messages: [lk01], times: 1 });
  const answer = harness.request('POST', '/api/v1/klanten', {
    body: klantBody(subjectType, { klantnummer }),
    headers: { 'x-audit-toelichting': 'aangemaakt tijdens storing' },
  });
  await until(() => messageCount(simulator, lk01) > received);
  simulator.setFault({ type: 'fo02', messages: [LV01[subjectType]], ...(times === undefined ? {} : { times }) });
  return answer;
}
