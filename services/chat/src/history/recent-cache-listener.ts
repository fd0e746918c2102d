import { Listener, type HandlerContext } from '@chat/base-listener';
import type { AnyEvent, EventOf } from '@chat/contracts';
import type { Logger } from '@chat/runtime';
import type { Registry } from 'prom-client';
import { chatMessageOfEvent, messageUpdateOfEvent } from '@chat/message-store';
import type { RecentCache } from './recent-cache.js';

/**
 * Writes the recent cache from the messages topic, in one consumer group
 * shared by every instance (each message written once, in partition order).
 * A Redis failure is retried in place; while Redis stays down the breaker
 * opens and the listener pauses instead of skipping, so the cache has no
 * holes. Delivery does not wait for it: it is another consumer.
 */
type CachedEventType = 'chat.message.sent' | 'chat.message.edited' | 'chat.message.deleted';

export class RecentCacheListener extends Listener<CachedEventType> {
  constructor(
    private readonly cache: RecentCache,
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
      retry: { mode: 'blocking', maxAttempts: 20, initialDelayMs: 100, maxDelayMs: 2_000 },
      // The append script is idempotent by position and messageId, the update script by change key: no separate store needed.
      idempotency: { enabled: false, redis: false },
      breaker: { resetTimeoutMs: 2_000, volumeThreshold: 3 },
      logger: options.logger,
      registry: options.registry,
    });
  }

  protected async handle(received: EventOf<CachedEventType>, context: HandlerContext): Promise<void> {
    const event = received as Extract<AnyEvent, { type: CachedEventType }>;
    if (event.type === 'chat.message.sent')
      await this.cache.append(chatMessageOfEvent(event, context.offset));
    else await this.cache.update(messageUpdateOfEvent(event, context.offset), event.idempotencyKey);
  }
}
