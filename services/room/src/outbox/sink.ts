import type { AnyEvent } from '@chat/contracts';

/** One room event on its way out, with the trace context of the request that caused it. */
export interface OutgoingEvent {
  event: AnyEvent;
  topic: string;
  traceparent?: string;
}

/**
 * Where the dispatcher publishes. Resolves only when every event is durable
 * (acknowledged by all in-sync replicas), keyed by room so a room's events
 * share a partition, and in the given order.
 */
export interface RoomEventSink {
  publish(events: readonly OutgoingEvent[]): Promise<void>;
}
