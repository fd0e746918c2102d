import type { Registry } from 'prom-client';
import type { BreakerState, ListenerEvents } from '../listener/events.js';
import { counter, gauge, histogram } from './registry.js';

const SECONDS_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const BREAKER_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

export function listenerMetrics(registry: Registry) {
  return {
    processed: counter(registry, 'kafka_messages_processed_total', 'Deliveries by how they ended', [
      'group',
      'topic',
      'outcome',
    ]),
    duration: histogram(
      registry,
      'kafka_message_processing_seconds',
      'Time from taking a record to its outcome, retries in place included',
      ['group', 'topic'],
      SECONDS_BUCKETS,
    ),
    retries: counter(
      registry,
      'kafka_message_retries_total',
      'Retries scheduled, in place or via retry topics',
      ['group', 'topic', 'mode'],
    ),
    deadLettered: counter(registry, 'kafka_dlq_messages_total', 'Records sent to the DLQ', [
      'group',
      'topic',
      'reason',
    ]),
    idempotentHits: counter(
      registry,
      'kafka_idempotent_hits_total',
      'Duplicates acknowledged without re-applying',
      ['group', 'store'],
    ),
    idempotencyFallbacks: counter(
      registry,
      'kafka_idempotency_fallback_total',
      'Redis fast-path failures answered by the durable store',
      ['group', 'operation'],
    ),
    breakerState: gauge(
      registry,
      'kafka_circuit_breaker_state',
      'Breaker state: 0 closed, 1 half-open, 2 open',
      ['group', 'breaker'],
    ),
    lag: gauge(registry, 'kafka_consumer_lag', 'Log end offset minus committed offset', [
      'group',
      'topic',
      'partition',
    ]),
    paused: gauge(registry, 'kafka_consumer_paused', '1 while the listener holds any partition paused', [
      'group',
    ]),
  };
}

/** Feeds one listener's telemetry into the process's Prometheus metrics. */
export function recordListenerMetrics(
  events: ListenerEvents,
  registry: Registry,
  labels: { group: string; breaker: string },
): void {
  const metrics = listenerMetrics(registry);
  const group = labels.group;
  let lagSeries: { topic: string; partition: string }[] = [];

  metrics.breakerState.set({ group, breaker: labels.breaker }, 0);
  metrics.paused.set({ group }, 0);
  events.on('delivery', ({ topic, result, durationMs }) => {
    metrics.processed.inc({ group, topic, outcome: result.replaceAll('-', '_') });
    metrics.duration.observe({ group, topic }, durationMs / 1000);
  });
  events.on('retry', ({ topic, mode }) => metrics.retries.inc({ group, topic, mode }));
  events.on('deadLettered', ({ sourceTopic, reason }) =>
    metrics.deadLettered.inc({ group, topic: sourceTopic, reason }),
  );
  events.on('idempotentHit', ({ store }) => metrics.idempotentHits.inc({ group, store }));
  events.on('idempotencyFallback', ({ operation }) => metrics.idempotencyFallbacks.inc({ group, operation }));
  events.on('breaker', ({ state }) =>
    metrics.breakerState.set({ group, breaker: labels.breaker }, BREAKER_VALUE[state]),
  );
  events.on('paused', ({ paused }) => metrics.paused.set({ group }, paused ? 1 : 0));
  events.on('lag', ({ partitions }) => {
    // Partitions this instance no longer reports must not keep their last value forever.
    for (const series of lagSeries) metrics.lag.remove({ group, ...series });
    lagSeries = partitions.map(({ topic, partition }) => ({ topic, partition: String(partition) }));
    for (const { topic, partition, lag } of partitions)
      metrics.lag.set({ group, topic, partition: String(partition) }, lag);
  });
}
