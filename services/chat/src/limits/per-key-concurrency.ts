import { refuse } from '../socket/errors.js';

/**
 * At most `limit` pieces of work in flight per key (a user's history reads on
 * this instance). Past it the work is refused at once with RATE_LIMITED, so
 * one user cannot queue unbounded database work; a slot is freed only when
 * the work itself settles, not when its request gave up waiting.
 */
export class PerKeyConcurrency {
  private readonly inFlight = new Map<string, number>();

  constructor(
    private readonly limit: number,
    private readonly retryAfterMs = 250,
  ) {}

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const current = this.inFlight.get(key) ?? 0;
    if (current >= this.limit) throw refuse('RATE_LIMITED', { retryAfterMs: this.retryAfterMs });
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
