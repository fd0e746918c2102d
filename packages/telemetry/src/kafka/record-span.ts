import { type InboundRecord, extractTraceContext } from '@chat/base-listener';
import type { AnyEvent } from '@chat/contracts';
import { type Attributes, ROOT_CONTEXT, type Span, SpanKind, type Tracer } from '@opentelemetry/api';
import {
  ATTR_CORRELATION_ID,
  ATTR_EVENT_TYPE,
  ATTR_MESSAGING_CONSUMER_GROUP,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_KAFKA_OFFSET,
  ATTR_MESSAGING_MESSAGE_ID,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_PARTITION_ID,
  ATTR_MESSAGING_SYSTEM,
  ATTR_ROOM_ID,
} from '../attributes.js';

/**
 * A CONSUMER span for one record read by a consumer that does not go
 * through the Listener's pipeline (which opens its own): the child of the
 * producer's span named by the record's `traceparent` header, or a new
 * trace when it has none. The caller ends it.
 */
export function startRecordSpan(tracer: Tracer, record: InboundRecord, groupId: string): Span {
  return tracer.startSpan(
    `${record.topic} process`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        [ATTR_MESSAGING_SYSTEM]: 'kafka',
        [ATTR_MESSAGING_OPERATION_TYPE]: 'process',
        [ATTR_MESSAGING_DESTINATION_NAME]: record.topic,
        [ATTR_MESSAGING_PARTITION_ID]: String(record.partition),
        [ATTR_MESSAGING_KAFKA_OFFSET]: Number(record.offset),
        [ATTR_MESSAGING_CONSUMER_GROUP]: groupId,
      },
    },
    // Each record continues its own producer's trace, never whatever context the fetch loop runs in.
    extractTraceContext(record.headers, ROOT_CONTEXT),
  );
}

/** What a span says about the event it handles: its ids, type, correlation id and room. */
export function eventAttributes(event: AnyEvent): Attributes {
  const payload = event.payload as { roomId?: unknown };
  return {
    [ATTR_MESSAGING_MESSAGE_ID]: event.eventId,
    [ATTR_CORRELATION_ID]: event.correlationId,
    [ATTR_EVENT_TYPE]: event.type,
    ...(typeof payload.roomId === 'string' ? { [ATTR_ROOM_ID]: payload.roomId } : {}),
  };
}
