import { hostname } from 'node:os';
import { Listener, type BatchItem, type HandlerContext } from '@chat/base-listener';
import type { AnyEvent, EventOf } from '@chat/contracts';
import { chatMessageOfEvent, messageUpdateOfEvent } from '@chat/message-store';
import type { Logger } from '@chat/runtime';
import type { Registry } from 'prom-client';
import type { CacheWrite, RecentCache } from './recent-cache.js';

type CachedEventType = 'chat.message.sent' | 'chat.message.edited' | 'chat.message.deleted';

export interface RecentCacheWriterOptions {
  /** One group for the whole platform: each message is written once, in its partition's order. */
  groupId: string;
  /** The messages topic. */
  topic: string;
  brokers?: string[];
  /** How long the group waits for a silent (crashed) member. @defaultValue 10000 */
  sessionTimeoutMs?: number;
  logger: Logger;
  registry?: Registry;
}

/**
 * Writes the recent cache from the messages topic. A Redis failure is
 * retried in place; while Redis stays down the breaker opens and the
 * listener pauses instead of skipping, so the cache has no holes. Nobody
 * waits on it: delivery reads Kafka itself, and catch-up takes the cache
 * only where it provably covers a gap. A fetched run of records is written
 * in one Redis pipeline (`handleBatch`).
 *
 * It runs where the group stays small and stable (the persistence worker's
 * process), not in every gateway instance: a group of hundreds of members
 * for a topic of a few partitions would rebalance on every rolling deploy.
 */
export class RecentCacheWriter extends Listener<CachedEventType> {
  constructor(
    private readonly cache: RecentCache,
    options: RecentCacheWriterOptions,
  ) {
    super({
      name: 'recent-cache',
      groupId: options.groupId,
      topics: [options.topic],
      eventTypes: ['chat.message.sent', 'chat.message.edited', 'chat.message.deleted'],
      brokers: options.brokers,
      clientId: `recent-cache.${hostname()}`,
      transactionalId: `${options.groupId}.${hostname()}.${process.pid}`,
      // A group with no committed offset (the first start) reads the topic's retention once: the lists end
      // as the newest messages of every room, whenever the writer first ran.
      fromBeginning: true,
      sessionTimeoutMs: options.sessionTimeoutMs ?? 10_000,
      heartbeatIntervalMs: Math.min(1_000, Math.floor((options.sessionTimeoutMs ?? 10_000) / 3)),
      // Nobody waits on the cache within milliseconds: a fetch every 100 ms at most, of many records
      // written in one pipeline, rather than one per produce.
      fetch: { minBytes: 64 * 1024, maxWaitMs: 100 },
      retry: { mode: 'blocking', maxAttempts: 20, initialDelayMs: 100, maxDelayMs: 2_000 },
      // The append script is idempotent by position and messageId, the update script by change key: no separate store needed.
      idempotency: { enabled: false, redis: false },
      breaker: { resetTimeoutMs: 2_000, volumeThreshold: 3 },
      logger: options.logger,
      registry: options.registry,
    });
  }

  protected async handle(received: EventOf<CachedEventType>, context: HandlerContext): Promise<void> {
    await this.cache.write([writeOf(received, context)]);
  }

  /** A fetched run of records in one Redis pipeline. */
  protected override async handleBatch(items: readonly BatchItem<EventOf<CachedEventType>>[]): Promise<void> {
    await this.cache.write(items.map(({ event, context }) => writeOf(event, context)));
  }
}

function writeOf(received: EventOf<CachedEventType>, context: HandlerContext): CacheWrite {
  const event = received as Extract<AnyEvent, { type: CachedEventType }>;
  return event.type === 'chat.message.sent'
    ? { kind: 'append', message: chatMessageOfEvent(event, context.offset) }
    : {
        kind: 'update',
        update: messageUpdateOfEvent(event, context.offset),
        changeKey: event.idempotencyKey,
      };
}
