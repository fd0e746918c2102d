import { type AnyEvent, routeOf, serializeEvent } from '@chat/contracts';
import { ConfigError, createLogger, endpointsFromEnv } from '@chat/runtime';
import {
  type Context,
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
import { DEFAULT_BATCH_LIMITS, batchLength } from './batch.js';

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
  /**
   * A send still unanswered after this long fails. KafkaJS cannot cancel it,
   * so the producer is replaced; its late answer is ignored.
   * @defaultValue 30000
   */
  sendTimeoutMs?: number;
  /**
   * How long the first publish after a quiet spell waits for others to share
   * its request. While a send is under way the next batch gathers anyway;
   * this only helps when sends are sparser than a round trip, where each
   * would otherwise be a request of its own. 0: the rest of the tick.
   * @defaultValue 0
   */
  lingerMs?: number;
  /**
   * Told each event and the bytes it is sent as, when it is queued: a
   * process that also consumes what it publishes can then read its own
   * records without parsing them again. @defaultValue none
   */
  onSerialized?: (event: AnyEvent, value: Buffer) => void;
}

const schema = Joi.object({
  brokers: Joi.array().items(Joi.string().min(1)).min(1),
  clientId: Joi.string().min(1).default('publisher'),
  retries: Joi.number().integer().min(1).default(5),
  sendTimeoutMs: Joi.number().integer().min(1).default(30_000),
  lingerMs: Joi.number().integer().min(0).max(1_000).default(0),
  logger: Joi.object(),
  registry: Joi.object(),
  tracerProvider: Joi.object(),
  onSerialized: Joi.function(),
});

export interface SendOptions {
  /** Extra headers; the trace context is added to them. @defaultValue none */
  headers?: Record<string, string>;
  /** @defaultValue the topic the event's contract names */
  topic?: string;
  /**
   * The publish span's parent, whose trace the record carries on; pass it
   * where the active context does not follow awaits. @defaultValue the active context
   */
  context?: Context;
}

const sizeOf = ({ message }: Pending): number =>
  Buffer.byteLength(message.value as Buffer) + Buffer.byteLength((message.key as string | null) ?? '');

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
 * replicas. One send is under way at a time and everything published
 * meanwhile leaves together in the next, so batches grow with the load.
 * Each send injects the W3C trace context into the record's headers.
 *
 * After a failed send the producer is replaced before the next one. When a
 * send fails KafkaJS rolls its idempotent sequence numbers back, though the
 * broker may have appended the batch (its answer was lost): the next batch
 * would reuse those numbers and the broker would acknowledge it as a
 * duplicate without storing it. A new producer id starts a clean sequence;
 * a batch that did land before is stored twice, which consumers drop by
 * idempotency key.
 */
export class Publisher {
  private readonly kafka: Kafka;
  private readonly settings: { retries: number; sendTimeoutMs: number; lingerMs: number };
  private readonly onSerialized: PublisherOptions['onSerialized'];
  private producer: Producer;
  /** The current producer's sequence numbers can no longer be trusted. */
  private renewBeforeNextSend = false;
  private readonly log: Logger;
  private readonly tracerProvider: TracerProvider;
  private readonly metrics;
  private queue: Pending[] = [];
  private sending: Promise<void> | undefined;

  constructor(options: PublisherOptions = {}) {
    const { value, error } = schema.validate(options, { abortEarly: false, convert: false });
    if (error) throw new ConfigError(error.details.map((detail) => `publisher option ${detail.message}`));
    const resolved = value as Required<
      Omit<PublisherOptions, 'brokers' | 'logger' | 'registry' | 'tracerProvider' | 'onSerialized'>
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
    this.settings = {
      retries: resolved.retries,
      sendTimeoutMs: resolved.sendTimeoutMs,
      lingerMs: resolved.lingerMs,
    };
    this.onSerialized = resolved.onSerialized;
    this.producer = this.createProducer();
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  /** Waits for every publish made so far, then disconnects. */
  async disconnect(): Promise<void> {
    this.flush();
    while (this.sending) await this.sending;
    await this.producer.disconnect();
  }

  /** Resolves once the event is durable in Kafka (acks from all in-sync replicas). */
  publish(event: AnyEvent, options: SendOptions = {}): Promise<void> {
    const route = routeOf(event);
    const topic = options.topic ?? route.topic;
    const key = route.key;
    const parent = options.context ?? contextApi.active();
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
      parent,
    );
    const headers = { ...options.headers };
    injectTraceContext(headers, trace.setSpan(parent, span));
    const value = serializeEvent(event);
    this.onSerialized?.(event, value);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({
        topic,
        message: { key, value, headers },
        span,
        resolve,
        reject,
      });
      // The first of a quiet spell waits for the rest of the tick (or the linger); later ones ride the send under
      // way's successor.
      if (this.queue.length === 1 && !this.sending) {
        if (this.settings.lingerMs > 0) setTimeout(() => this.flush(), this.settings.lingerMs);
        else setImmediate(() => this.flush());
      }
    });
  }

  /** Publishes several events in one request; resolves when all are durable. */
  async publishAll(events: readonly AnyEvent[], options: SendOptions = {}): Promise<void> {
    await Promise.all(events.map((event) => this.publish(event, options)));
  }

  private createProducer(): Producer {
    return this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      retry: { retries: this.settings.retries },
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  private flush(): void {
    if (this.sending || this.queue.length === 0) return;
    const batch = this.queue.splice(0, batchLength(this.queue, sizeOf, DEFAULT_BATCH_LIMITS));
    // `send` settles every publish of its batch itself and never rejects.
    this.sending = this.send(batch).finally(() => {
      this.sending = undefined;
      this.flush();
    });
  }

  /** The producer to send with: a fresh one, connected, when the last send failed. */
  private async usableProducer(): Promise<Producer> {
    if (!this.renewBeforeNextSend) return this.producer;
    const retired = this.producer;
    void retired.disconnect().catch(() => undefined);
    this.producer = this.createProducer();
    await this.producer.connect();
    this.renewBeforeNextSend = false;
    this.log.warn('replaced the Kafka producer after a failed send');
    return this.producer;
  }

  private async send(batch: Pending[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    for (const { topic, message } of batch) {
      const messages = byTopic.get(topic);
      if (messages) messages.push(message);
      else byTopic.set(topic, [message]);
    }
    const stopTimer = this.metrics.sendSeconds.startTimer();
    let timer: NodeJS.Timeout | undefined;
    try {
      // The deadline covers connecting a replacement producer too.
      const sent = this.usableProducer().then((producer) =>
        producer.sendBatch({
          acks: -1,
          topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
        }),
      );
      sent.catch(() => undefined);
      await Promise.race([
        sent,
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`send unanswered after ${this.settings.sendTimeoutMs} ms`)),
            this.settings.sendTimeoutMs,
          );
        }),
      ]);
      for (const pending of batch) {
        this.metrics.published.inc({ topic: pending.topic, outcome: 'ok' });
        pending.span.end();
        pending.resolve();
      }
    } catch (error) {
      this.renewBeforeNextSend = true;
      this.log.error({ err: messageOf(error), count: batch.length }, 'publish failed');
      for (const pending of batch) {
        this.metrics.published.inc({ topic: pending.topic, outcome: 'failed' });
        pending.span.recordException(error instanceof Error ? error : new Error(messageOf(error)));
        pending.span.setStatus({ code: SpanStatusCode.ERROR, message: messageOf(error) });
        pending.span.end();
        pending.reject(error);
      }
    } finally {
      clearTimeout(timer);
      stopTimer();
    }
  }
}
