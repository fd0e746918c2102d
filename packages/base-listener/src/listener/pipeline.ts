import type { AnyEvent } from '@chat/contracts';
import type { TracerProvider } from '@opentelemetry/api';
import type { DownstreamBreaker } from '../breaker/breaker.js';
import { breaking } from '../breaker/middleware.js';
import { forwardFailures } from '../dlq/forwarding.js';
import type { IdempotencyGuard } from '../idempotency/guard.js';
import { idempotency } from '../idempotency/middleware.js';
import type { Forwarder } from '../kafka/forwarder.js';
import type { InboundRecord } from '../kafka/record.js';
import { type Handler, compose } from '../pipeline/types.js';
import type { BackoffPolicy } from '@chat/backoff';
import { blockingRetry } from '../retry/blocking.js';
import type { RetryMode } from '../retry/routing.js';
import { tracing } from '../tracing/middleware.js';
import { validation } from '../validation/middleware.js';
import type { HandlerContext } from './context.js';
import type { ListenerEvents } from './events.js';

export interface PipelineParts {
  groupId: string;
  retry: { mode: RetryMode; maxAttempts: number; policy: BackoffPolicy };
  heartbeatEveryMs: number;
  tracerProvider: TracerProvider;
  forwarder: Forwarder;
  guard: IdempotencyGuard | undefined;
  breaker: DownstreamBreaker | undefined;
  events: ListenerEvents;
  validate(record: InboundRecord): AnyEvent;
  accepts(type: string): boolean;
  handle(event: AnyEvent, context: HandlerContext): Promise<void>;
}

/**
 * The one place the middleware order is decided, outermost first:
 *
 * 1. tracing: a span for the whole delivery, continuing the producer's trace;
 * 2. forwarding: whatever fails below leaves for a retry topic or the DLQ,
 *    its source offset committed in the same transaction;
 * 3. validation: a poison event fails here, fatally, before any effect;
 * 4. blocking retry (blocking mode): transient failures retried in place,
 *    so the partition, and so the key's order, waits;
 * 5. idempotency: inside the retries, so each attempt checks again and only
 *    a successful one records the key;
 * 6. breaker: innermost, so it sees only the downstream work and an open
 *    breaker stops an attempt before it starts.
 */
export function buildPipeline(parts: PipelineParts): Handler {
  const { events } = parts;
  const middleware = [
    tracing({ tracerProvider: parts.tracerProvider, groupId: parts.groupId }),
    forwardFailures({
      groupId: parts.groupId,
      mode: parts.retry.mode,
      maxAttempts: parts.retry.maxAttempts,
      policy: parts.retry.policy,
      forwarder: parts.forwarder,
      events,
    }),
    validation({ validate: parts.validate, accepts: parts.accepts }),
    ...(parts.retry.mode === 'blocking'
      ? [
          blockingRetry({
            maxAttempts: parts.retry.maxAttempts,
            policy: parts.retry.policy,
            heartbeatEveryMs: parts.heartbeatEveryMs,
            events,
          }),
        ]
      : []),
    ...(parts.guard ? [idempotency(parts.guard, events)] : []),
    ...(parts.breaker ? [breaking(parts.breaker)] : []),
  ];
  return compose(middleware, async (delivery) => {
    const { origin, record } = delivery;
    await parts.handle(delivery.event!, {
      topic: origin.topic,
      partition: origin.partition,
      offset: origin.offset,
      key: record.key?.toString('utf8'),
      attempt: delivery.attempt,
      headers: record.headers,
      log: delivery.log,
      heartbeat: delivery.heartbeat,
    });
    return 'success';
  });
}
