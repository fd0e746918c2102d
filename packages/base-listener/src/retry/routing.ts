import { groupTopics } from '@chat/contracts';
import { isRetryable } from '../errors/classify.js';
import { AttemptsExhaustedError } from '../errors/errors.js';
import { type BackoffPolicy, backoffDelay } from '@chat/backoff';

export type RetryMode = 'blocking' | 'topics';

export type FailureRoute =
  | { kind: 'retry'; topic: string; retry: number; delayMs: number }
  | { kind: 'dead-letter'; topic: string; reason: 'fatal' | 'exhausted' };

export interface RoutingInput {
  groupId: string;
  /** The topic the record first arrived on (not a retry topic). */
  sourceTopic: string;
  mode: RetryMode;
  maxAttempts: number;
  policy: BackoffPolicy;
  /** Attempts made so far, including the one that just failed. */
  attempts: number;
  error: unknown;
}

/**
 * Where a failed record goes. Errors that cannot heal go to the DLQ at once;
 * in `topics` mode a transient failure parks the record in the next retry
 * topic until its attempts run out; in `blocking` mode retries already
 * happened in place, so whatever reaches here is dead-lettered.
 */
export function routeFailure(input: RoutingInput, random?: () => number): FailureRoute {
  const deadLetter = groupTopics.deadLetter(input.groupId);
  if (input.error instanceof AttemptsExhaustedError)
    return { kind: 'dead-letter', topic: deadLetter, reason: 'exhausted' };
  if (!isRetryable(input.error)) return { kind: 'dead-letter', topic: deadLetter, reason: 'fatal' };
  if (input.mode === 'topics' && input.attempts < input.maxAttempts) {
    const retry = input.attempts;
    return {
      kind: 'retry',
      topic: groupTopics.retry(input.groupId, input.sourceTopic, retry),
      retry,
      delayMs: backoffDelay(input.policy, retry, random),
    };
  }
  return { kind: 'dead-letter', topic: deadLetter, reason: 'exhausted' };
}

/** The retry topics a listener in `topics` mode reads besides its sources: one per retry. */
export function retryTopicsFor(
  groupId: string,
  sourceTopics: readonly string[],
  maxAttempts: number,
): string[] {
  return sourceTopics.flatMap((topic) =>
    Array.from({ length: maxAttempts - 1 }, (_, index) => groupTopics.retry(groupId, topic, index + 1)),
  );
}
