import { isRetryable } from '../errors/classify.js';
import { AttemptsExhaustedError, BreakerOpenError, messageOf } from '../errors/errors.js';
import type { ListenerEvents } from '../listener/events.js';
import type { Middleware } from '../pipeline/types.js';
import { type BackoffPolicy, backoffDelay } from '@chat/backoff';
import { waitWithHeartbeat } from './wait.js';

export interface BlockingRetryOptions {
  maxAttempts: number;
  policy: BackoffPolicy;
  heartbeatEveryMs: number;
  events: ListenerEvents;
  random?: () => number;
}

/**
 * Retries a transient failure in place, waiting longer each time. The
 * partition waits too, which is the point: later events of the same key
 * cannot overtake this one. An open breaker is not a failure of this record:
 * it leaves at once so the listener can pause.
 */
export function blockingRetry(options: BlockingRetryOptions): Middleware {
  return (next) => async (delivery) => {
    for (;;) {
      try {
        return await next(delivery);
      } catch (error) {
        if (error instanceof BreakerOpenError || !isRetryable(error)) throw error;
        delivery.firstFailureAt ??= new Date().toISOString();
        if (delivery.attempt >= options.maxAttempts)
          throw new AttemptsExhaustedError(delivery.attempt, error);
        const delayMs = backoffDelay(options.policy, delivery.attempt, options.random);
        options.events.emit('retry', {
          mode: 'blocking',
          topic: delivery.record.topic,
          partition: delivery.record.partition,
          offset: delivery.record.offset,
          attempt: delivery.attempt,
          delayMs,
        });
        delivery.log.warn(
          { attempt: delivery.attempt, delayMs, err: messageOf(error) },
          'attempt failed, retrying',
        );
        await waitWithHeartbeat(delayMs, {
          signal: delivery.signal,
          heartbeat: delivery.heartbeat,
          heartbeatEveryMs: options.heartbeatEveryMs,
        });
        delivery.attempt += 1;
      }
    }
  };
}
