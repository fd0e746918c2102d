import type { SendAccepted, SendRequest } from '@chat/contracts';
import { withCorrelationId } from '@chat/runtime';
import {
  ATTR_CORRELATION_ID,
  ATTR_ERROR_TYPE,
  ATTR_MESSAGE_ID,
  ATTR_ROOM_ID,
  ATTR_USER_ID,
} from '@chat/telemetry';
import { type Context, SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { errorBody } from '../socket/errors.js';

// Looked up per span, not at import: imports run before main.ts starts the SDK, and a tracer taken
// from a second copy of the API (ESM beside the SDK's CommonJS) before that would stay a no-op.
const tracer = () => trace.getTracer('@chat/chat');

/**
 * The root of a message's trace: one SERVER span per socket `send`. `send`
 * gets its context (the span and the correlation id), which the gateway's
 * context manager does not carry across awaits: the send passes it to the
 * Kafka publish, whose span is its child, and to the log lines it writes.
 */
export async function tracedSend(
  request: SendRequest,
  ids: { userId: string; correlationId: string },
  send: (trace: Context) => Promise<SendAccepted>,
): Promise<SendAccepted> {
  const span = tracer().startSpan('socket send', {
    kind: SpanKind.SERVER,
    attributes: {
      [ATTR_CORRELATION_ID]: ids.correlationId,
      [ATTR_ROOM_ID]: request.roomId,
      [ATTR_USER_ID]: ids.userId,
    },
  });
  const active = withCorrelationId(ids.correlationId, trace.setSpan(context.active(), span));
  try {
    const accepted = await context.with(active, () => send(active));
    span.setAttributes({ [ATTR_MESSAGE_ID]: accepted.messageId, 'chat.send.status': accepted.status });
    return accepted;
  } catch (error) {
    const { code } = errorBody(error);
    span.setAttribute(ATTR_ERROR_TYPE, code);
    span.setStatus({ code: SpanStatusCode.ERROR, message: code });
    throw error;
  } finally {
    span.end();
  }
}
