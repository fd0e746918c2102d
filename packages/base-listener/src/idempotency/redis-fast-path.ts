import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Deletes the key only if it still holds our reservation, so a late release never frees someone else's claim. */
const RELEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
const DONE = 'done';

export type Reservation = { state: 'reserved'; token: string } | { state: 'done' } | { state: 'busy' };

/**
 * Redis side of idempotency. `SET NX` takes a short reservation while an
 * attempt runs; only a finished effect writes the long-lived `done` marker,
 * so a failed attempt never leaves a key that would drop its retry.
 */
export class RedisFastPath {
  constructor(
    private readonly redis: Redis,
    private readonly namespace: string,
    private readonly ttlSeconds: number,
    private readonly reservationMs: number,
  ) {}

  private keyOf(key: string): string {
    return `${this.namespace}:${key}`;
  }

  async reserve(key: string): Promise<Reservation> {
    const token = `pending:${randomUUID()}`;
    const set = await this.redis.set(this.keyOf(key), token, 'PX', this.reservationMs, 'NX');
    if (set === 'OK') return { state: 'reserved', token };
    const current = await this.redis.get(this.keyOf(key));
    if (current === DONE) return { state: 'done' };
    // The holder finished or gave up between our SET and GET: let the caller try again.
    return { state: 'busy' };
  }

  async markDone(key: string): Promise<void> {
    await this.redis.set(this.keyOf(key), DONE, 'EX', this.ttlSeconds);
  }

  async release(key: string, token: string): Promise<void> {
    await this.redis.eval(RELEASE_SCRIPT, 1, this.keyOf(key), token);
  }
}
