import type { Redis } from 'ioredis';

export type SendStatus = 'accepted' | 'queued';

export type Reservation =
  /** First attempt: go on and publish. */
  | { kind: 'new' }
  /** An earlier attempt finished with this status: answer it, publish nothing. */
  | { kind: 'done'; status: SendStatus }
  /** An earlier attempt is still in flight. */
  | { kind: 'in-flight' }
  /** Redis is unreachable: go on without a reservation (the deterministic messageId keeps a duplicate harmless). */
  | { kind: 'unavailable' };

const DAY_SECONDS = 24 * 60 * 60;

/** A send's idempotency key: its deterministic messageId, which already names sender, room and clientMessageId. */
export const reservationKey = (messageId: string): string => `chat:send:${messageId}`;

/**
 * The idempotency record of a send in Redis. `pending` lives only
 * `pendingMs`, so an instance that dies mid-send does not block the retry for
 * a day; the final status lives 24 h.
 */
export class SendReservations {
  constructor(
    private readonly redis: Redis,
    private readonly pendingMs = 15_000,
  ) {}

  /** One round trip: SET NX with GET (Redis 7) takes the key or answers what holds it. */
  async reserve(key: string): Promise<Reservation> {
    try {
      const held = await this.redis.set(key, 'pending', 'PX', this.pendingMs, 'NX', 'GET');
      if (held === null) return { kind: 'new' };
      if (held === 'accepted' || held === 'queued') return { kind: 'done', status: held };
      return { kind: 'in-flight' };
    } catch {
      return { kind: 'unavailable' };
    }
  }

  /** Records the outcome; failures are ignored (the retry then publishes again, harmlessly). */
  complete(key: string, status: SendStatus): void {
    this.redis.set(key, status, 'EX', DAY_SECONDS).catch(() => undefined);
  }

  /** Gives the key back after a send that was refused, so a retry starts afresh. */
  release(key: string): void {
    this.redis.del(key).catch(() => undefined);
  }

  /** The status an earlier attempt finished with, if one did (undefined too while Redis is unreachable). */
  async finished(key: string): Promise<SendStatus | undefined> {
    const value = await this.redis.get(key).catch(() => null);
    return value === 'accepted' || value === 'queued' ? value : undefined;
  }
}
