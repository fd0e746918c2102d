import { backoffDelay, type BackoffPolicy } from '@chat/backoff';

/**
 * 0.5 s doubling to 15 s, up to half of each delay random: pages refused
 * together (an overloaded gateway, a restart) do not come back together, and
 * keep backing off while the refusals last.
 */
const RETRY_BACKOFF: BackoffPolicy = { initialDelayMs: 500, multiplier: 2, maxDelayMs: 15_000, jitter: 0.5 };

/**
 * How long the page waits before retry `retry` (1 = the first) of a refused
 * or unanswered request. The gateway's `retryAfterMs` is the earliest it
 * wants it back; repeated refusals back off beyond it.
 */
export function retryDelay(retry: number, retryAfterMs = 0, random: () => number = Math.random): number {
  return Math.max(retryAfterMs, backoffDelay(RETRY_BACKOFF, retry, random));
}
