import { fromKafkaMessage } from '@chat/base-listener';
import type { AnyEvent } from '@chat/contracts';
import { startRecordSpan } from '@chat/base-listener';
import { eventAttributes } from '@chat/telemetry';
import { SpanStatusCode, context, trace } from '@opentelemetry/api';
import type { KafkaMessage } from 'kafkajs';

// Looked up per span, not at import: imports run before main.ts starts the SDK, and a tracer taken
// from a second copy of the API (ESM beside the SDK's CommonJS) before that would stay a no-op.
const tracer = () => trace.getTracer('@chat/chat');

/**
 * Runs `deliver` for one record inside a CONSUMER span that continues the
 * message's trace from its `traceparent` header: the fan-out to this
 * instance's sockets is the trace's last step. `deliver` returns the event
 * it read, so the span names it; a throw marks the span failed and is rethrown.
 */
export function tracedDelivery(
  source: { topic: string; partition: number; groupId: string },
  message: KafkaMessage,
  deliver: () => AnyEvent,
): void {
  const span = startRecordSpan(
    tracer(),
    fromKafkaMessage(source.topic, source.partition, message),
    source.groupId,
  );
  try {
    span.setAttributes(eventAttributes(context.with(trace.setSpan(context.active(), span), deliver)));
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    throw error;
  } finally {
    span.end();
  }
}
