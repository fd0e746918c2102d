import { Counter, Gauge, Histogram, register } from 'prom-client';

/**
 * The room service's metrics on the global registry (served by the runtime's
 * /metrics). Created once per process, whatever imports them first.
 */
function once<T>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}

export const outboxPublished = once(
  'room_outbox_published_total',
  () =>
    new Counter({
      name: 'room_outbox_published_total',
      help: 'Room events the dispatcher published and Kafka acknowledged',
      labelNames: ['type'],
    }),
);

export const outboxPublishFailures = once(
  'room_outbox_publish_failures_total',
  () =>
    new Counter({
      name: 'room_outbox_publish_failures_total',
      help: 'Failed publish attempts (each is retried with backoff until it is parked as dead)',
    }),
);

export const outboxDead = once(
  'room_outbox_dead_total',
  () =>
    new Counter({
      name: 'room_outbox_dead_total',
      help: 'Room events parked as dead after their last attempt; each needs an operator',
      labelNames: ['type'],
    }),
);

export const outboxDispatchLatency = once(
  'room_outbox_dispatch_latency_seconds',
  () =>
    new Histogram({
      name: 'room_outbox_dispatch_latency_seconds',
      help: 'From the write that made a room event to its acknowledged publish',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    }),
);

export const dispatchTicks = once(
  'room_dispatch_ticks_total',
  () =>
    new Counter({
      name: 'room_dispatch_ticks_total',
      help: 'Dispatcher passes over the outbox, by result and by what they read: the rooms written here (written) or a scan of every due room (scan)',
      labelNames: ['result', 'pass'],
    }),
);

export const outboxLeaseLost = once(
  'room_outbox_lease_lost_total',
  () =>
    new Counter({
      name: 'room_outbox_lease_lost_total',
      help: 'Rooms whose lease expired while this replica was publishing (their events may be published twice)',
    }),
);

let pendingSource: (() => Promise<number>) | undefined;

/** Unsent room events across all rooms, counted when Prometheus scrapes. */
export const outboxPending = once(
  'room_outbox_pending',
  () =>
    new Gauge({
      name: 'room_outbox_pending',
      help: 'Room events written but not yet published (pending, including those waiting for a retry)',
      async collect() {
        if (pendingSource) this.set(await pendingSource());
      },
    }),
);

export function countPendingWith(source: () => Promise<number>): void {
  pendingSource = source;
}

export const sagaOutcomes = once(
  'room_saga_outcomes_total',
  () =>
    new Counter({
      name: 'room_saga_outcomes_total',
      help: 'Room-creation sagas by how they ended (completed, compensated, resumed after a crash, compensation_failed)',
      labelNames: ['outcome'],
    }),
);

export const httpRequests = once(
  'room_http_request_duration_seconds',
  () =>
    new Histogram({
      name: 'room_http_request_duration_seconds',
      help: 'HTTP API requests by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    }),
);
