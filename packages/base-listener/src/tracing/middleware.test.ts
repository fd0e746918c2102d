import { HEADERS } from '@chat/contracts';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeDelivery } from '../../test/support/delivery.js';
import { tracing } from './middleware.js';

const contextManager = new AsyncLocalStorageContextManager();
beforeAll(() => context.setGlobalContextManager(contextManager.enable()));
afterAll(() => {
  contextManager.disable();
  context.disable();
});

const traceId = '0af7651916cd43dd8448eb211c80319c';
const traceparent = `00-${traceId}-b7ad6b7169203331-01`;

function traced() {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { exporter, wrap: tracing({ tracerProvider, groupId: 'unit-group' }) };
}

describe('tracing middleware', () => {
  it("runs the handler in a consumer span that continues the record's trace, with the event's ids", async () => {
    const { exporter, wrap } = traced();
    const delivery = fakeDelivery();
    delivery.record.headers[HEADERS.traceparent] = traceparent;
    let active: string | undefined;
    const outcome = await wrap(async () => {
      active = trace.getSpan(context.active())?.spanContext().traceId;
      return 'success';
    })(delivery);
    expect(outcome).toBe('success');
    expect(active).toBe(traceId);
    const [span] = exporter.getFinishedSpans();
    expect(span!.kind).toBe(SpanKind.CONSUMER);
    expect(span!.spanContext().traceId).toBe(traceId);
    expect(span!.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    expect(span!.attributes).toMatchObject({
      'chat.outcome': 'success',
      'chat.attempt': 1,
      'messaging.message.id': delivery.event!.eventId,
      'chat.correlation_id': delivery.event!.correlationId,
      'chat.event.type': 'chat.message.sent',
    });
  });

  it('marks the span failed with the exception and rethrows', async () => {
    const { exporter, wrap } = traced();
    const failure = new Error('downstream failed');
    await expect(
      wrap(async () => {
        throw failure;
      })(fakeDelivery()),
    ).rejects.toBe(failure);
    const [span] = exporter.getFinishedSpans();
    expect(span!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'downstream failed' });
    expect(span!.events.map((event) => event.name)).toEqual(['exception']);
  });
});
