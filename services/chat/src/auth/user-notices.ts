import { USER_NOTICES_CHANNEL, parseUserNotice } from '@chat/contracts';
import type { Logger } from '@chat/runtime';
import { Redis } from 'ioredis';
import type { ChatServer } from '../socket/handlers.js';

/**
 * Relays the identity service's account notices (renames) to this
 * instance's sockets, so pages show the new name at once. A connection of
 * its own: a subscribed Redis connection serves one purpose.
 */
export class UserNoticeRelay {
  private readonly subscriber: Redis;

  constructor(
    redisUrl: string,
    private readonly io: ChatServer,
    private readonly log: Logger,
  ) {
    this.subscriber = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    this.subscriber.on('error', () => undefined);
  }

  async start(): Promise<void> {
    this.subscriber.on('message', (_channel: string, raw: string) => {
      const notice = parseUserNotice(raw);
      if (notice) this.io.local.emit('user-renamed', notice);
    });
    try {
      await this.subscriber.connect();
      await this.subscriber.subscribe(USER_NOTICES_CHANNEL);
    } catch (error) {
      this.log.warn(
        { err: (error as Error).message },
        'user notices not subscribed; pages refresh names on their timer',
      );
    }
  }

  stop(): void {
    this.subscriber.disconnect();
  }
}
