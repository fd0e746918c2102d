import { type AnyEvent, routeOf, serializeEvent } from '@chat/contracts';
import { ConfigError, createLogger, endpointsFromEnv } from '@chat/runtime';
import {
  type Span,
  SpanKind,
  SpanStatusCode,
  type TracerProvider,
  context as contextApi,
  trace,
} from '@opentelemetry/api';
import Joi from 'joi';
import { type Kafka, type Message, Partitioners, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { type Registry, register } from 'prom-client';
import { messageOf } from '../errors/errors.js';
import { createKafka } from '../kafka/client.js';
import { counter, histogram } from '../metrics/registry.js';
import { injectTraceContext } from '../tracing/propagation.js';

export interface PublisherOptions {
  /** @defaultValue endpointsFromEnv().kafkaBrokers */
  brokers?: string[];
  /** @defaultValue 'publisher' */
  clientId?: string;
  /**
   * Send retries before a publish fails. KafkaJS warns that a bounded count
   * weakens its idempotence; the caller then sees a clear failure instead of
   * a send that hangs while Kafka is down, and consumers dedupe by idempotency key.
   * @defaultValue 5
   */
  retries?: number;
  /** @defaultValue `createLogger('publisher')` from @chat/runtime */
  logger?: Logger;
  /** @defaultValue prom-client's default registry */
  registry?: Registry;
  /** @defaultValue the global tracer provider */
  tracerProvider?: TracerProvider;
}

const schema = Joi.object({
  brokers: Joi.array().items(Joi.string().min(1)).min(1),
  clientId: Joi.string().min(1).default('publisher'),
  retries: Joi.number().integer().min(1).default(5),
  logger: Joi.object(),
  registry: Joi.object(),
  tracerProvider: Joi.object(),
});

export interface SendOptions {
  /** Extra headers; the trace context is added to them. @defaultValue none */
  headers?: Record<string, string>;
  /** @defaultValue the topic the event's contract names */
  topic?: string;
}

interface Pending {
  topic: string;
  message: Message;
  span: Span;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Sends platform events, keyed as their contract says (room events by
 * roomId), through an idempotent producer with acks from all in-sync
 * replicas. Publishes made in the same tick leave in one request: awaiting
 * one send per event caps a producer far below what one batched send does.
 * Each send injects the W3C trace context into the record's headers.
 */
export class Publisher {
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private readonly log: Logger;
  private readonly tracerProvider: TracerProvider;
  private readonly metrics;
  private queue: Pending[] = [];
  private flushing = new Set<Promise<void>>();

  constructor(options: PublisherOptions = {}) {
    const { value, error } = schema.validate(options, { abortEarly: false, convert: false });
    if (error) throw new ConfigError(error.details.map((detail) => `publisher option ${detail.message}`));
    const resolved = value as Required<
      Omit<PublisherOptions, 'brokers' | 'logger' | 'registry' | 'tracerProvider'>
    > &
      PublisherOptions;
    this.log = resolved.logger ?? createLogger('publisher');
    this.tracerProvider = resolved.tracerProvider ?? trace.getTracerProvider();
    const registry = resolved.registry ?? register;
    this.metrics = {
      published: counter(registry, 'kafka_messages_published_total', 'Events published, by outcome', [
        'topic',
        'outcome',
      ]),
      sendSeconds: histogram(
        registry,
        'kafka_publish_seconds',
        'Time of one batched send',
        [],
        [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
      ),
    };
    this.kafka = createKafka({
      brokers: resolved.brokers ?? endpointsFromEnv().kafkaBrokers,
      clientId: resolved.clientId,
      logger: this.log,
    });
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      retry: { retries: resolved.retries },
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  /** Waits for publishes under way, then disconnects. */
  async disconnect(): Promise<void> {
    this.flush();
    await Promise.allSettled(this.flushing);
    await this.producer.disconnect();
  }

  /** Resolves once the event is durable in Kafka (acks from all in-sync replicas). */
  publish(event: AnyEvent, options: SendOptions = {}): Promise<void> {
    const route = routeOf(event);
    const topic = options.topic ?? route.topic;
    const key = route.key;
    const span = this.tracerProvider.getTracer('@chat/base-listener').startSpan(
      `${topic} publish`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.type': 'send',
          'messaging.destination.name': topic,
          'messaging.kafka.message.key': key,
          'messaging.message.id': event.eventId,
          'chat.correlation_id': event.correlationId,
          'chat.event.type': event.type,
        },
      },
      contextApi.active(),
    );
    const headers = { ...options.headers };
    injectTraceContext(headers, trace.setSpan(contextApi.active(), span));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({
        topic,
        message: { key, value: serializeEvent(event), headers },
        span,
        resolve,
        reject,
      });
      if (this.queue.length === 1) setImmediate(() => this.flush());
    });
  }

  /** Publishes several events in one request; resolves when all are durable. */
  async publishAll(events: readonly AnyEvent[], options: SendOptions = {}): Promise<void> {
    await Promise.all(events.map((event) => this.publish(event, options)));
  }

  private flush(): void {
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    const sending = this.send(batch);
    this.flushing.add(sending);
    void sending.finally(() => this.flushing.delete(sending));
  }

  private async send(batch: Pending[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    for (const { topic, message } of batch) byTopic.set(topic, [...(byTopic.get(topic) ?? []), message]);
    const stopTimer = this.metrics.sendSeconds.startTimer();
    try {
      await this.producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
      for (const pending of batch) {
        this.metrics.published.inc({ topic: pending.topic, outcome: 'ok' });
        pending.span.end();
        pending.resolve();
      }
    } catch (error) {
      this.log.error({ err: messageOf(error), count: batch.length }, 'publish failed');
      for (const pending of batch) {
        this.metrics.published.inc({ topic: pending.topic, outcome: 'failed' });
        pending.span.recordException(error instanceof Error ? error : new Error(messageOf(error)));
        pending.span.setStatus({ code: SpanStatusCode.ERROR, message: messageOf(error) });
        pending.span.end();
        pending.reject(error);
      }
    } finally {
      stopTimer();
    }
  }
}
