// A StufClient with the resilience policy around every call, and errors translated to the backend
// boundary's: StufKlantenBackend uses it like the plain client and never sees a StufError or a
// policy detail. Questions may be retried (they change nothing); kennisgevingen never are.
// A question answered by a "not found" fault (StUF064) reads as an empty La01, as a backend that
// found nothing should have answered.
import type { BackendConfig } from '../config/index.ts';
import {
  StufClient,
  StufFault,
  type KennisgevingRequest,
  type KennisgevingResult,
  type La01Result,
  type QuestionRequest,
  type StufClientOptions,
} from '../stuf/index.ts';
import { classifyKennisgevingFault, type KennisgevingFaultClassifier } from './kennisgeving-faults.ts';
import { ResiliencePolicy, type CallKind, type CallSpec, type ResilienceOptions } from './policy.ts';
import { isNotFoundFault, isRetryableQuestionError, stufToBackendError, stufVerdict } from './stuf-outcomes.ts';

export interface ResilientStufClientOptions extends StufClientOptions {
  resilience: ResilienceOptions;
  /** Which kennisgeving faults the consumer caused (4xx) and which the backend (502); default: all 502. */
  classifyKennisgevingFault?: KennisgevingFaultClassifier;
}

/** The policy's settings from the backend config section. */
export function resilienceSettings(
  b: Pick<BackendConfig, 'breaker' | 'retries' | 'maxConcurrent' | 'queueLimit'>,
): Pick<ResilienceOptions, 'breaker' | 'retries' | 'maxConcurrent' | 'queueLimit'> {
  return { breaker: b.breaker, retries: b.retries, maxConcurrent: b.maxConcurrent, queueLimit: b.queueLimit };
}

export class ResilientStufClient extends StufClient {
  readonly policy: ResiliencePolicy;
  private readonly waitMs: Record<CallKind, number>;
  private readonly classifyFault: KennisgevingFaultClassifier;

  constructor(opts: ResilientStufClientOptions) {
    super(opts);
    this.policy = new ResiliencePolicy(opts.resilience);
    // A call waits for a slot at most as long as it may wait for its answer.
    this.waitMs = { question: opts.questionTimeoutMs, kennisgeving: opts.kennisgevingTimeoutMs };
    this.classifyFault = opts.classifyKennisgevingFault ?? classifyKennisgevingFault;
  }

  override async question(q: QuestionRequest): Promise<La01Result> {
    try {
      return await this.policy.run(this.spec('question', q.messageName, q.timeoutMs), () => super.question(q));
    } catch (e) {
      if (isNotFoundFault(e)) return noObjects(e);
      throw stufToBackendError(e);
    }
  }

  override async kennisgeving(k: KennisgevingRequest): Promise<KennisgevingResult> {
    try {
      return await this.policy.run(this.spec('kennisgeving', k.messageName, k.timeoutMs), () => super.kennisgeving(k));
    } catch (e) {
      if (e instanceof StufFault) throw this.classifyFault(e);
      throw stufToBackendError(e);
    }
  }

  private spec(kind: CallKind, messageName: string, timeoutMs: number | undefined): CallSpec {
    return {
      kind,
      messageName,
      maxWaitMs: timeoutMs ?? this.waitMs[kind],
      verdict: stufVerdict,
      retryable: kind === 'question' ? isRetryableQuestionError : () => false,
    };
  }
}

function noObjects(fault: StufFault): La01Result {
  return {
    stuurgegevens: {},
    objects: [],
    indicatorVervolgvraag: false,
    meldingen: [],
    referentienummer: fault.referentienummer ?? '',
  };
}
