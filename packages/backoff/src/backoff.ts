export interface BackoffPolicy {
  initialDelayMs: number;
  multiplier: number;
  maxDelayMs: number;
  /** Fraction of each delay taken off at random, so retries of many records or clients do not arrive in lockstep. */
  jitter: number;
}

/**
 * Delay before retry `retry` (1 = the first retry): `initial × multiplier^(retry−1)`,
 * capped at `maxDelayMs`, minus up to `jitter` of itself. While
 * `jitter < 1 − 1/multiplier` every delay is longer than the one before, below the cap.
 */
export function backoffDelay(
  policy: BackoffPolicy,
  retry: number,
  random: () => number = Math.random,
): number {
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** (retry - 1));
  return Math.round(base * (1 - policy.jitter * random()));
}
