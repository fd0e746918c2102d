import { SpanStatusCode, type TracerProvider, context as contextApi, trace } from '@opentelemetry/api';
import { messageOf } from '../errors/errors.js';
import type { Middleware } from '../pipeline/types.js';
import { extractTraceContext } from './propagation.js';
import { startRecordSpan } from './record-span.js';

export const TRACER_NAME = '@chat/base-listener';

/**
 * One CONSUMER span per delivery, child of the producer's span from the
 * record's headers, carrying topic, partition, offset and (once validated)
 * event and correlation ids. The handler runs inside it, so its own spans
 * and outgoing publishes join the same trace.
 */
export function tracing(options: { tracerProvider: TracerProvider; groupId: string }): Middleware {
  const tracer = options.tracerProvider.getTracer(TRACER_NAME);
  return (next) => async (delivery) => {
    const { record } = delivery;
    const parent = extractTraceContext(record.headers, contextApi.active());
    const span = startRecordSpan(tracer, record, options.groupId, {
      parent,
      attributes: { 'chat.attempt': delivery.attempt },
    });
    delivery.span = span;
    delivery.log = delivery.log.child({ traceId: span.spanContext().traceId });
    try {
      const outcome = await contextApi.with(trace.setSpan(parent, span), () => next(delivery));
      span.setAttribute('chat.outcome', outcome);
      return outcome;
    } catch (error) {
      span.recordException(error instanceof Error ? error : new Error(messageOf(error)));
      span.setStatus({ code: SpanStatusCode.ERROR, message: messageOf(error) });
      throw error;
    } finally {
      if (delivery.event) {
        span.setAttributes({
          'messaging.message.id': delivery.event.eventId,
          'messaging.message.conversation_id': delivery.event.correlationId,
          'chat.correlation_id': delivery.event.correlationId,
          'chat.event.type': delivery.event.type,
        });
      }
      span.end();
    }
  };
}
