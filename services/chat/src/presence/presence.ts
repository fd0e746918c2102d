import type { PresenceNotice, TypingNotice } from '@chat/contracts';
import type { Redis } from 'ioredis';
import type { Logger } from '@chat/runtime';

export type Ephemeral =
  { kind: 'typing'; notice: TypingNotice } | { kind: 'presence'; notice: PresenceNotice };

/**
 * Typing and presence across instances: Redis pub/sub, nothing stored but
 * a per-user online key that expires by itself. Each instance emits what it
 * hears to its own sockets in the room. Redis down loses only these.
 * (Socket.IO's Redis adapter would do the fan-out too, but it would also
 * broadcast every room emit across instances, which Kafka already does for
 * messages, and it gives no handle on a failed publish.)
 */
export class EphemeralBus {
  private readonly channel: string;

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly log: Logger,
    prefix = 'chat:ephemeral',
  ) {
    this.channel = prefix;
  }

  async start(onEvent: (event: Ephemeral) => void): Promise<void> {
    this.subscriber.on('message', (_channel: string, raw: string) => {
      try {
        onEvent(JSON.parse(raw) as Ephemeral);
      } catch {
        this.log.warn('unreadable ephemeral event ignored');
      }
    });
    await this.subscriber.subscribe(this.channel).catch((error: unknown) => {
      this.log.warn(
        { err: (error as Error).message },
        'ephemeral bus not subscribed (Redis down); typing and presence stay local',
      );
    });
  }

  publish(event: Ephemeral): void {
    this.publisher.publish(this.channel, JSON.stringify(event)).catch(() => undefined);
  }

  /** Marks the user online for `ttlSeconds` (renewed while connected; expires by itself if the instance dies). */
  heartbeat(userId: string, ttlSeconds: number): void {
    this.publisher.set(`chat:online:${userId}`, '1', 'EX', ttlSeconds).catch(() => undefined);
  }
}
