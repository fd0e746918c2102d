import type { PresenceNotice, TypingNotice } from '@chat/contracts';
import type { Redis } from 'ioredis';
import type { Logger } from '@chat/runtime';

export type Ephemeral =
  { kind: 'typing'; notice: TypingNotice } | { kind: 'presence'; notice: PresenceNotice };

/**
 * Typing and presence across instances: Redis pub/sub, nothing stored (who
 * is online now is `OnlineUsers`). Each instance emits what it
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
}

/**
 * Ends typing by itself: an instance that relays `typing: true` to its
 * sockets emits `typing: false` to them when no repeat came within `ttlMs`
 * (the typist's tab closed, its instance died, a `false` was lost with
 * Redis). One timer per typing user per room with local sockets.
 */
export class TypingExpiry {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly ttlMs: number,
    private readonly expire: (notice: TypingNotice) => void,
  ) {}

  /** Called with every typing notice relayed locally: `true` (re)arms, `false` disarms. */
  seen(notice: TypingNotice): void {
    const key = `${notice.roomId}\u0000${notice.userId}`;
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    if (!notice.typing) return;
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.expire({ roomId: notice.roomId, userId: notice.userId, typing: false });
    }, this.ttlMs);
    timer.unref();
    this.timers.set(key, timer);
  }

  get size(): number {
    return this.timers.size;
  }

  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
