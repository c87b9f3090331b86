// The policy with real StUF errors and the real StUF classification, on a fake sleep (so retry
// delays are recorded instead of waited) and a fixed random.
import { describe, expect, it } from 'vitest';
import { BackendUnavailableError } from '../../../src/backend/errors.ts';
import {
  CallRejectedError,
  MAX_RETRY_DELAY_MS,
  ResiliencePolicy,
  isRetryableQuestionError,
  retryDelayMs,
  stufToBackendError,
  stufVerdict,
  type CallKind,
  type CallSpec,
  type ResilienceOptions,
} from '../../../src/resilience/index.ts';
import { StufFault, StufProtocolError, StufTransportError } from '../../../src/stuf/index.ts';

const network = () => new StufTransportError('network', 'connection to backend failed (ECONNRESET)');
const fault = () =>
  new StufFault({ berichtcode: 'Fo02', foutcode: 'StUF058', plek: 'server', omschrijving: 'storing', source: 'stuf' });

function setup(overrides: Partial<ResilienceOptions> = {}) {
  const delays: number[] = [];
  const events: string[] = [];
  const policy = new ResiliencePolicy({
    breaker: { failureThreshold: 3, openMs: 60_000 },
    maxConcurrent: 4,
    queueLimit: 4,
    retries: { questions: 2, baseDelayMs: 100 },
    random: () => 0.5,
    sleep: async (ms) => void delays.push(ms),
    observer: {
      retrying: (call, n) => events.push(`retry ${call.messageName} ${n}`),
      rejected: (reason) => events.push(`rejected ${reason}`),
      circuitChanged: (to) => events.push(`circuit ${to}`),
    },
    ...overrides,
  });
  return { policy, delays, events };
}

/** The same error classification for both kinds: the policy itself must keep kennisgevingen from retrying. */
function spec(kind: CallKind, messageName = kind === 'question' ? 'npsLv01' : 'npsLk01'): CallSpec {
  return { kind, messageName, maxWaitMs: 1000, verdict: stufVerdict, retryable: isRetryableQuestionError };
}

/** An attempt that throws the given errors in turn, then answers 'ok'. */
function scripted(errors: Error[]) {
  let calls = 0;
  const attempt = async () => {
    const e = errors[calls++];
    if (e) throw e;
    return 'ok';
  };
  return { attempt, calls: () => calls };
}

describe('ResiliencePolicy', () => {
  it('retries a question after connection errors, with growing jittered delays', async () => {
    const { policy, delays, events } = setup();
    const s = scripted([network(), network()]);
    await expect(policy.run(spec('question'), s.attempt)).resolves.toBe('ok');
    expect(s.calls()).toBe(3);
    expect(delays).toEqual([75, 150]); // 100/2 + 0.5·50, 200/2 + 0.5·100
    expect(events).toEqual(['retry npsLv01 1', 'retry npsLv01 2']);
  });

  it('gives up after the configured retries with the last error', async () => {
    const { policy } = setup();
    const last = network();
    const s = scripted([network(), network(), last]);
    await expect(policy.run(spec('question'), s.attempt)).rejects.toBe(last);
    expect(s.calls()).toBe(3);
  });

  it('never retries a kennisgeving', async () => {
    const { policy, delays } = setup();
    const s = scripted([network()]);
    await expect(policy.run(spec('kennisgeving'), s.attempt)).rejects.toBeInstanceOf(StufTransportError);
    expect(s.calls()).toBe(1);
    expect(delays).toEqual([]);
  });

  it('does not retry an answer: faults and protocol errors go back at once', async () => {
    const { policy } = setup();
    for (const e of [fault(), new StufProtocolError('malformed', 'not XML')]) {
      const s = scripted([e]);
      await expect(policy.run(spec('question'), s.attempt)).rejects.toBe(e);
      expect(s.calls()).toBe(1);
    }
  });

  it('opens the circuit after consecutive failures and then refuses without calling', async () => {
    const { policy, events } = setup({ retries: { questions: 0, baseDelayMs: 0 } });
    for (let i = 0; i < 3; i++) await policy.run(spec('question'), scripted([network()]).attempt).catch(() => {});
    expect(policy.circuit()).toBe('open');
    const s = scripted([]);
    const err = await policy.run(spec('question'), s.attempt).catch((e: unknown) => e);
    expect(s.calls()).toBe(0);
    expect(err).toBeInstanceOf(CallRejectedError);
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect((err as CallRejectedError).status).toBe(503);
    expect((err as CallRejectedError).retryAfterSeconds).toBe(60);
    expect(events).toContain('circuit open');
    expect(events.at(-1)).toBe('rejected circuit_open');
  });

  it('StUF faults keep the circuit closed: the backend answered', async () => {
    const { policy } = setup({ retries: { questions: 0, baseDelayMs: 0 } });
    for (let i = 0; i < 5; i++) await policy.run(spec('question'), scripted([fault()]).attempt).catch(() => {});
    expect(policy.circuit()).toBe('closed');
  });

  it('stops retrying when the circuit opens meanwhile, reporting the real failure', async () => {
    const { policy } = setup({ breaker: { failureThreshold: 2, openMs: 60_000 }, retries: { questions: 5, baseDelayMs: 1 } });
    const second = network();
    const s = scripted([network(), second, network()]);
    await expect(policy.run(spec('question'), s.attempt)).rejects.toBe(second);
    expect(s.calls()).toBe(2);
  });

  it('refuses with 503 queue_full when slots and queue are taken', async () => {
    const { policy } = setup({ maxConcurrent: 1, queueLimit: 1 });
    let finish: () => void = () => {};
    const blocker = new Promise<string>((r) => (finish = () => r('done')));
    const first = policy.run(spec('question'), () => blocker);
    const queued = policy.run(spec('question'), async () => 'second');
    await new Promise((r) => setImmediate(r));
    expect([policy.inFlight(), policy.queued()]).toEqual([1, 1]);
    const err = await policy.run(spec('question'), async () => 'third').catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 503, reason: 'queue_full', retryAfterSeconds: 1 });
    finish();
    await expect(first).resolves.toBe('done');
    await expect(queued).resolves.toBe('second');
    expect([policy.inFlight(), policy.queued()]).toEqual([0, 0]);
  });
});

describe('StUF outcomes', () => {
  it('translates StUF errors to the backend boundary: timeout 504, the rest 502', () => {
    const timeout = stufToBackendError(new StufTransportError('timeout', 'backend did not answer within 10 ms'));
    expect(timeout).toMatchObject({ status: 504, detail: 'backend did not answer within 10 ms' });
    for (const e of [network(), fault(), new StufProtocolError('doctype', 'DOCTYPE refused')]) {
      const t = stufToBackendError(e) as BackendUnavailableError;
      expect(t).toBeInstanceOf(BackendUnavailableError);
      expect(t.status).toBe(502);
      expect(t.cause).toBe(e);
    }
    const bug = new TypeError('x');
    expect(stufToBackendError(bug)).toBe(bug);
  });

  it('retries only what the backend may not have answered', () => {
    expect(isRetryableQuestionError(new StufTransportError('connect', 'refused'))).toBe(true);
    expect(isRetryableQuestionError(new StufTransportError('timeout', 'slow'))).toBe(true);
    expect(isRetryableQuestionError(new StufTransportError('http_status', 'x', { httpStatus: 503 }))).toBe(true);
    expect(isRetryableQuestionError(new StufTransportError('http_status', 'x', { httpStatus: 404 }))).toBe(false);
    expect(isRetryableQuestionError(new StufTransportError('too_large', 'big'))).toBe(false);
    expect(isRetryableQuestionError(new StufTransportError('aborted', 'caller'))).toBe(false);
    expect(isRetryableQuestionError(fault())).toBe(false);
  });

  it('backoff doubles per retry, stays within [step/2, step] and is capped', () => {
    expect(retryDelayMs(1, 100, () => 0)).toBe(50);
    expect(retryDelayMs(1, 100, () => 0.999999)).toBeCloseTo(100, 3);
    expect(retryDelayMs(3, 100, () => 0)).toBe(200);
    expect(retryDelayMs(30, 100, () => 1)).toBe(MAX_RETRY_DELAY_MS);
  });
});
