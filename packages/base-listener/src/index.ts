export { Listener } from './listener/listener.js';
export type { HandlerContext } from './listener/context.js';
export type { BatchItem } from './listener/batch-path.js';
export {
  ListenerEvents,
  type ListenerEventMap,
  type BreakerState,
  type DeliveryResult,
} from './listener/events.js';
export type {
  ListenerOptions,
  RetryOptions,
  IdempotencyOptions,
  ListenerBreakerOptions,
} from './options/listener-options.js';
export { Publisher, type PublisherOptions, type SendOptions } from './publisher/publisher.js';
export {
  readDeadLetters,
  replayDeadLetters,
  type DeadLetter,
  type DeadLetterQuery,
  type ReplayOptions,
  type ReplayReport,
} from './dlq/replay.js';
export type { ListenerHealth } from './health/health.js';
export type { PartitionLag } from './kafka/lag.js';
export type { InboundRecord } from './kafka/record.js';
export type { ProcessedStore } from './idempotency/store.js';
export {
  AttemptsExhaustedError,
  BreakerOpenError,
  ClaimBusyError,
  ForwardError,
  InterruptedError,
} from './errors/errors.js';
export { isRetryable } from './errors/classify.js';
export type { RetryMode } from './retry/routing.js';
export { injectTraceContext, extractTraceContext } from './tracing/propagation.js';

// Building blocks for batch consumers that cannot use the Listener's per-record pipeline (the bulk
// MongoDB writer): the same breaker, telemetry, metrics, lag and dead-letter format as every listener.
export { CONSUMER_CLIENT_RETRY, createKafka } from './kafka/client.js';
export { ensureTopics } from './kafka/topics.js';
export { fromKafkaMessage } from './kafka/record.js';
export { readLag } from './kafka/lag.js';
export { onConsumerDeath } from './kafka/consumer-death.js';
export { deleteInstanceGroup } from './kafka/instance-group.js';
export type { OutboundRecord } from './kafka/forwarder.js';
export { DownstreamBreaker, type BreakerOptions } from './breaker/breaker.js';
export { recordListenerMetrics } from './metrics/listener-metrics.js';
export { deadLetterOf } from './dlq/dead-letter-of.js';
export { startRecordSpan } from './tracing/record-span.js';
