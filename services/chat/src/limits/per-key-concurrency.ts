import type { SocketErrorCode } from '@chat/contracts';
import { refuse } from '../socket/errors.js';

/**
 * At most `limit` pieces of work in flight per key (a user's history reads on
 * this instance, or all of its database reads under one key). Past it the
 * work is refused at once with `code` (RATE_LIMITED for a user's, OVERLOADED
 * for the instance's), so nothing queues unbounded database work; a slot is
 * freed only when the work itself settles, not when its request gave up.
 */
export class PerKeyConcurrency {
  private readonly inFlight = new Map<string, number>();

  constructor(
    private readonly limit: number,
    private readonly code: Extract<SocketErrorCode, 'RATE_LIMITED' | 'OVERLOADED'> = 'RATE_LIMITED',
    private readonly retryAfterMs = 250,
  ) {}

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const current = this.inFlight.get(key) ?? 0;
    if (current >= this.limit) throw refuse(this.code, { retryAfterMs: this.retryAfterMs });
    this.inFlight.set(key, current + 1);
    try {
      return await work();
    } finally {
      const left = (this.inFlight.get(key) ?? 1) - 1;
      if (left === 0) this.inFlight.delete(key);
      else this.inFlight.set(key, left);
    }
  }
}
