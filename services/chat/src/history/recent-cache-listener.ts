import { Listener, type HandlerContext } from '@chat/base-listener';
import type { EventOf } from '@chat/contracts';
import type { Logger } from '@chat/runtime';
import type { Registry } from 'prom-client';
import { chatMessageOfEvent } from '@chat/message-store';
import type { RecentCache } from './recent-cache.js';

/**
 * Writes the recent cache from the messages topic, in one consumer group
 * shared by every instance (each message written once, in partition order).
 * A Redis failure is retried in place; while Redis stays down the breaker
 * opens and the listener pauses instead of skipping, so the cache has no
 * holes. Delivery does not wait for it: it is another consumer.
 */
export class RecentCacheListener extends Listener<'chat.message.sent'> {
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
      eventTypes: ['chat.message.sent'],
      brokers: options.brokers,
      clientId: `recent-cache.${options.instanceId}`,
      transactionalId: `${options.groupId}.${options.instanceId}`,
      fromBeginning: false,
      sessionTimeoutMs: 10_000,
      heartbeatIntervalMs: 1_000,
      lagIntervalMs: 0,
      retry: { mode: 'blocking', maxAttempts: 20, initialDelayMs: 100, maxDelayMs: 2_000 },
      // The append script is idempotent by position and messageId: no separate store needed.
      idempotency: { enabled: false, redis: false },
      breaker: { resetTimeoutMs: 2_000, volumeThreshold: 3 },
      logger: options.logger,
      registry: options.registry,
    });
  }

  protected async handle(event: EventOf<'chat.message.sent'>, context: HandlerContext): Promise<void> {
    await this.cache.append(chatMessageOfEvent(event, context.offset));
  }
}
