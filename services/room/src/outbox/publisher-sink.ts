import { ROOT_CONTEXT, context, propagation } from '@opentelemetry/api';
import { HEADERS } from '@chat/contracts';
import type { Publisher } from '@chat/base-listener';
import type { OutgoingEvent, RoomEventSink } from './sink.js';

export interface PublisherSink extends RoomEventSink {
  /** Connects now rather than on the first publish; a failure is retried on the next publish. */
  connect(): Promise<void>;
  /** Whether the producer is connected (the kafka readiness check). */
  isConnected(): boolean;
}

/**
 * The dispatcher's Kafka adapter, over the reliability kit's Publisher
 * (idempotent producer, acks from all in-sync replicas, one request in
 * flight). Events handed over in one call leave in one batched request, in
 * order; each publish continues the trace of the request that wrote it. The
 * producer connects on first use and again after a failed connect, so a
 * service that started while Kafka was down recovers by itself.
 */
export function publisherSink(publisher: Publisher): PublisherSink {
  let connecting: Promise<void> | undefined;
  let connected = false;
  const connect = () =>
    (connecting ??= publisher.connect().then(
      () => {
        connected = true;
      },
      (error: unknown) => {
        connecting = undefined;
        throw error;
      },
    ));

  return {
    connect,
    isConnected: () => connected,
    async publish(events: readonly OutgoingEvent[]) {
      await connect();
      await Promise.all(
        events.map(({ event, topic, traceparent }) => {
          const parent = traceparent
            ? propagation.extract(ROOT_CONTEXT, { [HEADERS.traceparent]: traceparent })
            : context.active();
          return context.with(parent, () => publisher.publish(event, { topic }));
        }),
      );
    },
  };
}
