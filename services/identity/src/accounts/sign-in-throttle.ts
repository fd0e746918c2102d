import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { IdentityError } from '../errors.js';

export interface ThrottleSettings {
  /** Sign-in and sign-up attempts one address may make per window (IDENTITY_SIGNIN_ATTEMPTS_PER_ADDRESS). */
  attemptsPerAddress: number;
  /** Failed sign-ins per handle per window before it is locked for the rest of it (IDENTITY_SIGNIN_FAILURES_PER_HANDLE). */
  failuresPerHandle: number;
  /** IDENTITY_SIGNIN_WINDOW_SECONDS */
  windowSeconds: number;
  /** Redis key prefix (IDENTITY_RATE_LIMIT_PREFIX). */
  keyPrefix: string;
}

/** The one answer to a throttled attempt, whether the handle exists or not. */
function throttled(retryAfterMs: number): IdentityError {
  const retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new IdentityError(
    'RATE_LIMITED',
    `too many sign-in attempts; try again in ${retryAfterSeconds} seconds`,
    { retryAfterSeconds },
  );
}

/**
 * Password guessing limits: every attempt counts against the address, and
 * failures count against the handle (existing or not), so spreading guesses
 * over addresses still locks the handle and one address cannot try many handles.
 */
export class SignInThrottle {
  private readonly byAddress: RateLimiterRedis;
  private readonly byHandle: RateLimiterRedis;

  constructor(redis: Redis, settings: ThrottleSettings) {
    this.byAddress = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${settings.keyPrefix}:address`,
      points: settings.attemptsPerAddress,
      duration: settings.windowSeconds,
    });
    this.byHandle = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${settings.keyPrefix}:handle`,
      points: settings.failuresPerHandle,
      duration: settings.windowSeconds,
    });
  }

  /** Counts an attempt from `address`; RATE_LIMITED when it or `handle` is over its limit. */
  async admit(address: string, handle?: string): Promise<void> {
    try {
      await this.byAddress.consume(address);
    } catch (error) {
      if (error instanceof RateLimiterRes) throw throttled(error.msBeforeNext);
      throw error;
    }
    if (!handle) return;
    const state = await this.byHandle.get(handle);
    if (state && state.remainingPoints <= 0) throw throttled(state.msBeforeNext);
  }

  async failed(handle: string): Promise<void> {
    await this.byHandle.penalty(handle, 1);
  }

  async succeeded(handle: string): Promise<void> {
    await this.byHandle.delete(handle);
  }
}
