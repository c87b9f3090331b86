// Readiness of the StUF backend: the circuit's state, and a cheap question (backend.ping) when
// the circuit lets calls through. An open circuit is "down" without asking the backend; a
// half-open one lets the ping be the probe that closes it.
import type { KlantenBackend } from '../backend/klanten-backend.ts';
import type { CircuitState } from '../resilience/circuit-breaker.ts';
import { ReadinessCheckError, type ReadinessCheck } from './readiness.ts';

export function backendReadinessCheck(
  backend: Pick<KlantenBackend, 'ping'>,
  circuit: () => CircuitState = () => 'closed',
): ReadinessCheck {
  return {
    name: 'backend',
    critical: true,
    async check() {
      if (circuit() === 'open') throw new ReadinessCheckError('circuit open: backend calls fail fast', { circuit: 'open' });
      try {
        await backend.ping();
      } catch (e) {
        const detail = (e as { detail?: unknown } | null)?.detail;
        throw new ReadinessCheckError(typeof detail === 'string' ? detail : 'backend did not answer the ping', {
          circuit: circuit(),
        });
      }
      return { circuit: circuit() };
    },
  };
}
