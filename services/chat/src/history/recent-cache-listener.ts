import { Listener, type BatchItem, type HandlerContext, type InboundRecord } from '@chat/base-listener';
import type { AnyEvent, EventOf } from '@chat/contracts';
import type { Logger } from '@chat/runtime';
import type { Registry } from 'prom-client';
import { chatMessageOfEvent, messageUpdateOfEvent } from '@chat/message-store';
import type { EventDecoder } from '../decoding/published-events.js';
import type { CacheWrite, RecentCache } from './recent-cache.js';

/**
 * Writes the recent cache from the messages topic, in one consumer group
 * shared by every instance (each message written once, in partition order).
 * A Redis failure is retried in place; while Redis stays down the breaker
 * opens and the listener pauses instead of skipping, so the cache has no
 * holes. Delivery does not wait for it: it is another consumer. A fetched
 * run of records is written in one Redis pipeline (`handleBatch`).
 */
type CachedEventType = 'chat.message.sent' | 'chat.message.edited' | 'chat.message.deleted';

export class RecentCacheListener extends Listener<CachedEventType> {
  constructor(
    private readonly cache: RecentCache,
    private readonly decode: EventDecoder,
    options: {
      groupId: string;
      topic: string;
      brokers: string[];
      instanceId: string;
      logger: Logger;
      registry: Registry;
    },
  ) {
    super({
      name: 'recent-cache',
      groupId: options.groupId,
      topics: [options.topic],
      eventTypes: ['chat.message.sent', 'chat.message.edited', 'chat.message.deleted'],
      brokers: options.brokers,
      clientId: `recent-cache.${options.instanceId}`,
      transactionalId: `${options.groupId}.${options.instanceId}`,
      fromBeginning: false,
      sessionTimeoutMs: 10_000,
      heartbeatIntervalMs: 1_000,
      lagIntervalMs: 0,
      // Nobody waits on the cache within milliseconds (new messages reach readers through delivery): a fetch
      // every 100 ms at most, of many records written in one pipeline, rather than one per produce.
      fetch: { minBytes: 64 * 1024, maxWaitMs: 100 },
      retry: { mode: 'blocking', maxAttempts: 20, initialDelayMs: 100, maxDelayMs: 2_000 },
      // The append script is idempotent by position and messageId, the update script by change key: no separate store needed.
      idempotency: { enabled: false, redis: false },
      breaker: { resetTimeoutMs: 2_000, volumeThreshold: 3 },
      logger: options.logger,
      registry: options.registry,
    });
  }

  /** Records this instance published are taken as they were sent (`PublishedEvents`), others parsed. */
  protected override validate(record: InboundRecord): AnyEvent {
    return this.decode(record.value ?? Buffer.alloc(0));
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
