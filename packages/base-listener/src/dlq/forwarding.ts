import {
  AttemptsExhaustedError,
  BreakerOpenError,
  ForwardError,
  InterruptedError,
  messageOf,
} from '../errors/errors.js';
import { errorClassOf } from '../errors/classify.js';
import type { Forwarder } from '../kafka/forwarder.js';
import type { ListenerEvents } from '../listener/events.js';
import type { Middleware } from '../pipeline/types.js';
import type { BackoffPolicy } from '@chat/backoff';
import { type RetryMode, routeFailure } from '../retry/routing.js';
import { deadLetterRecord, retryRecord } from './records.js';

export interface ForwardingOptions {
  groupId: string;
  mode: RetryMode;
  maxAttempts: number;
  policy: BackoffPolicy;
  forwarder: Forwarder;
  events: ListenerEvents;
}

/**
 * Turns a failed delivery into a forwarded one: to the next retry topic or
 * to the DLQ, committing the source offset in the same transaction so the
 * partition moves on. A pause (open breaker) or a shutdown is not a failure
 * and passes through; a forward that fails surfaces with the original error
 * and leaves the offset uncommitted.
 */
export function forwardFailures(options: ForwardingOptions): Middleware {
  return (next) => async (delivery) => {
    try {
      return await next(delivery);
    } catch (error) {
      if (error instanceof BreakerOpenError || error instanceof InterruptedError) throw error;
      delivery.firstFailureAt ??= new Date().toISOString();
      const attempts = error instanceof AttemptsExhaustedError ? error.attempts : delivery.attempt;
      const route = routeFailure({
        groupId: options.groupId,
        sourceTopic: delivery.origin.topic,
        mode: options.mode,
        maxAttempts: options.maxAttempts,
        policy: options.policy,
        attempts,
        error,
      });
      const outbound =
        route.kind === 'retry'
          ? retryRecord(delivery, { topic: route.topic, attempts, delayMs: route.delayMs, error })
          : deadLetterRecord(delivery, {
              topic: route.topic,
              groupId: options.groupId,
              reason: route.reason,
              attempts,
              error,
            });
      const { record } = delivery;
      try {
        await options.forwarder.forward(outbound, {
          groupId: options.groupId,
          topic: record.topic,
          partition: record.partition,
          offset: String(BigInt(record.offset) + 1n),
        });
      } catch (forwardError) {
        throw new ForwardError(route.topic, error, forwardError);
      }
      const at = { topic: record.topic, partition: record.partition, offset: record.offset };
      if (route.kind === 'retry') {
        options.events.emit('retry', { ...at, mode: 'topics', attempt: attempts, delayMs: route.delayMs });
        delivery.log.warn(
          { attempt: attempts, delayMs: route.delayMs, target: route.topic, err: messageOf(error) },
          'attempt failed, parked for retry',
        );
        return 'retry-scheduled';
      }
      options.events.emit('deadLettered', {
        ...at,
        sourceTopic: delivery.origin.topic,
        reason: route.reason,
        attempts,
        errorClass: errorClassOf(error),
      });
      delivery.log.error(
        { attempts, reason: route.reason, target: route.topic, err: messageOf(error) },
        'event dead-lettered',
      );
      return 'dead-lettered';
    }
  };
}
