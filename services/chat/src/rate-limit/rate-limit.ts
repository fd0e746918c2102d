import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { refuse } from '../socket/errors.js';

export interface RateLimitDecision {
  allowed: boolean;
  retryAfterMs: number;
}

/** The limiter resolves when points were left and rejects with a result when they were not. */
export function decide(result: RateLimiterRes, rejected: boolean): RateLimitDecision {
  return { allowed: !rejected, retryAfterMs: rejected ? Math.max(1, Math.ceil(result.msBeforeNext)) : 0 };
}

/**
 * Per-user limits shared by every instance through Redis, with an in-memory
 * limiter as insurance: while Redis is down each instance still limits (per
 * instance), so an outage never switches rate limiting off.
 */
export class UserRateLimiter {
  private readonly limiter: RateLimiterRedis;

  constructor(redis: Redis, options: { points: number; durationSeconds: number; keyPrefix?: string }) {
    this.limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: options.keyPrefix ?? 'chat:rl',
      points: options.points,
      duration: options.durationSeconds,
      insuranceLimiter: new RateLimiterMemory({ points: options.points, duration: options.durationSeconds }),
    });
  }

  /** Spends `cost` points of the user's budget; throws RATE_LIMITED with retryAfterMs when it is spent. */
  async consume(userId: string, cost = 1): Promise<void> {
    let decision: RateLimitDecision;
    try {
      decision = decide(await this.limiter.consume(userId, cost), false);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      decision = decide(rejection, true);
    }
    if (!decision.allowed) throw refuse('RATE_LIMITED', { retryAfterMs: decision.retryAfterMs });
  }
}
