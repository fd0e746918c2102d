import {
  type Attributes,
  type Context,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  type Tracer,
} from '@opentelemetry/api';
import {
  ATTR_MESSAGING_CONSUMER_GROUP,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_KAFKA_OFFSET,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_PARTITION_ID,
  ATTR_MESSAGING_SYSTEM,
} from '@chat/telemetry/attributes';
import type { InboundRecord } from '../kafka/record.js';
import { extractTraceContext } from './propagation.js';

/** What every CONSUMER span of the platform says: processing, from which topic and partition, in which group. */
export function processAttributes(
  { topic, partition }: Pick<InboundRecord, 'topic' | 'partition'>,
  groupId: string,
): Attributes {
  return {
    [ATTR_MESSAGING_SYSTEM]: 'kafka',
    [ATTR_MESSAGING_OPERATION_TYPE]: 'process',
    [ATTR_MESSAGING_DESTINATION_NAME]: topic,
    [ATTR_MESSAGING_PARTITION_ID]: String(partition),
    [ATTR_MESSAGING_CONSUMER_GROUP]: groupId,
  };
}

/**
 * A CONSUMER span for one record: the child of the producer's span named by
 * the record's `traceparent` header, or a new trace when it has none. The
 * Listener's pipeline opens one per delivery; consumers outside it (the
 * gateway's delivery, the persistence worker) open theirs with it too. The
 * caller ends it.
 */
export function startRecordSpan(
  tracer: Tracer,
  record: InboundRecord,
  groupId: string,
  options: { parent?: Context; attributes?: Attributes } = {},
): Span {
  return tracer.startSpan(
    `${record.topic} process`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        ...processAttributes(record, groupId),
        [ATTR_MESSAGING_KAFKA_OFFSET]: Number(record.offset),
        ...options.attributes,
      },
    },
    // By default each record continues its own producer's trace, never whatever context the fetch loop runs in.
    options.parent ?? extractTraceContext(record.headers, ROOT_CONTEXT),
  );
}
