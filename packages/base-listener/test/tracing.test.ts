import { HEADERS } from '@chat/contracts';
import { waitFor } from '@chat/testkit';
import { ROOT_CONTEXT, SpanKind, context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, afterEach, describe, expect, it } from 'vitest';
import { Publisher } from '../src/index.js';
import { messageSent } from '@chat/testkit/events';
import { createTopic, endpoints, testLogger } from './support/kafka.js';
import { FunctionListener, listenerPool, testOptions } from './support/listeners.js';

const pool = listenerPool();
afterEach(() => pool.stopAll());

// What a service's OpenTelemetry setup does: make `context.with` carry the active span across awaits.
const contextManager = new AsyncLocalStorageContextManager();
beforeAll(() => context.setGlobalContextManager(contextManager.enable()));
afterAll(() => {
  contextManager.disable();
  context.disable();
});

/** A connected Publisher whose spans go to `tracerProvider`. */
async function connectedPublisher(tracerProvider: BasicTracerProvider): Promise<Publisher> {
  const publisher = new Publisher({
    brokers: endpoints.kafkaBrokers,
    logger: testLogger,
    registry: new Registry(),
    tracerProvider,
  });
  await publisher.connect();
  return publisher;
}

describe('tracing', () => {
  it('continues the trace started at a publish in the consumer, with Kafka and event attributes', async () => {
    const exporter = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const topic = await createTopic('tracing');
    const event = messageSent('room-t');
    const seen: { traceparent?: string; activeTraceId?: string } = {};
    const options = testOptions({ topics: [topic], tracerProvider });
    await pool.start(
      new FunctionListener(options, async (_event, handlerContext) => {
        seen.traceparent = handlerContext.headers[HEADERS.traceparent];
        seen.activeTraceId = trace.getSpan(context.active())?.spanContext().traceId;
      }),
    );

    const publisher = await connectedPublisher(tracerProvider);
    const request = tracerProvider.getTracer('test').startSpan('POST /messages');
    // The publish topic comes from the contract; this test's topic stands in for chat.messages.v1.
    await context.with(trace.setSpan(context.active(), request), () => publisher.publish(event, { topic }));
    request.end();
    await publisher.disconnect();

    await waitFor('the consumer span', () =>
      exporter.getFinishedSpans().find((span) => span.kind === SpanKind.CONSUMER),
    );
    const spans = exporter.getFinishedSpans();
    const producer = spans.find((span) => span.kind === SpanKind.PRODUCER)!;
    const consumer = spans.find((span) => span.kind === SpanKind.CONSUMER)!;
    const traceId = request.spanContext().traceId;

    expect(producer.spanContext().traceId).toBe(traceId);
    expect(producer.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(consumer.spanContext().traceId).toBe(traceId);
    expect(consumer.parentSpanContext?.spanId).toBe(producer.spanContext().spanId);
    expect(seen.traceparent).toBe(`00-${traceId}-${producer.spanContext().spanId}-01`);
    expect(seen.activeTraceId).toBe(traceId);
    expect(consumer.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.destination.name': topic,
      'messaging.destination.partition.id': '0',
      'messaging.kafka.offset': 0,
      'messaging.consumer.group.name': options.groupId,
      'messaging.message.id': event.eventId,
      'chat.correlation_id': event.correlationId,
      'chat.outcome': 'success',
    });
    expect(producer.attributes).toMatchObject({
      'messaging.message.id': event.eventId,
      'messaging.kafka.message.key': 'room-t',
    });
  });

  it('continues the context a publish is given, not the active one', async () => {
    const exporter = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const topic = await createTopic('tracing-explicit');
    const publisher = await connectedPublisher(tracerProvider);
    const tracer = tracerProvider.getTracer('test');
    const send = tracer.startSpan('socket send');
    const elsewhere = tracer.startSpan('unrelated work');
    // What a process whose context does not follow awaits does: the send's context, passed by hand.
    await context.with(trace.setSpan(context.active(), elsewhere), () =>
      publisher.publish(messageSent('room-e'), { topic, context: trace.setSpan(ROOT_CONTEXT, send) }),
    );
    send.end();
    elsewhere.end();
    await publisher.disconnect();

    const producer = exporter.getFinishedSpans().find((span) => span.kind === SpanKind.PRODUCER)!;
    expect(producer.spanContext().traceId).toBe(send.spanContext().traceId);
    expect(producer.parentSpanContext?.spanId).toBe(send.spanContext().spanId);
  });
});
