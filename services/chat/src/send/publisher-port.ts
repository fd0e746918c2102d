import { Publisher } from '@chat/base-listener';
import type { AnyEvent } from '@chat/contracts';
import type { Logger } from '@chat/runtime';
import type { Context } from '@opentelemetry/api';
import type { Registry } from 'prom-client';

/** What the send path and the backup-queue retrier need from Kafka. */
export interface EventPublisher {
  /** True once connected; while false, sends go straight to the backup queue. */
  readonly connected: boolean;
  /**
   * Resolves when every event is durable in Kafka (acks=all, idempotent
   * producer). `trace` is the operation whose trace the records continue.
   */
  publish(events: readonly AnyEvent[], topic: string, trace?: Context): Promise<void>;
  close(): Promise<void>;
}

/**
 * The kit's Publisher (one request at a time, carrying all that waits),
 * connected in the background with retries so an instance starts, and
 * queues sends, while Kafka is away.
 */
export function kafkaEventPublisher(options: {
  brokers: string[];
  clientId: string;
  logger: Logger;
  registry: Registry;
  /** The send path's own deadline: a send unanswered by then is given up and its producer replaced. */
  sendTimeoutMs: number;
  /** The publisher's linger (CHAT_PUBLISH_LINGER_MS). */
  lingerMs: number;
  /** Told each event and the bytes it is sent as (`PublishedEvents.remember`). */
  onSerialized?: (event: AnyEvent, value: Buffer) => void;
}): EventPublisher {
  const publisher = new Publisher({
    brokers: options.brokers,
    clientId: options.clientId,
    logger: options.logger,
    registry: options.registry,
    retries: 2,
    sendTimeoutMs: options.sendTimeoutMs,
    lingerMs: options.lingerMs,
    onSerialized: options.onSerialized,
  });
  let connected = false;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  const connect = (delay: number) => {
    publisher.connect().then(
      () => {
        connected = !closed;
        options.logger.info('publisher connected to Kafka');
      },
      (error: unknown) => {
        if (closed) return;
        options.logger.warn(
          { err: (error as Error).message, retryInMs: delay },
          'publisher cannot reach Kafka yet',
        );
        timer = setTimeout(() => connect(Math.min(delay * 2, 5_000)), delay);
      },
    );
  };
  connect(250);
  return {
    get connected() {
      return connected;
    },
    async publish(events, topic, trace) {
      if (!connected) throw new Error('Kafka publisher is not connected');
      await Promise.all(events.map((event) => publisher.publish(event, { topic, context: trace })));
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      connected = false;
      await publisher.disconnect().catch(() => undefined);
    },
  };
}

/** Rejects when `promise` takes longer than `ms` (the publish itself goes on; its message is deduplicated downstream). */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new TimeoutError(`${what} timed out after ${ms} ms`)), ms);
    }),
  ]);
}

/** What `withTimeout` rejects with: the work may still finish, but nobody waits for it any more. */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
}
