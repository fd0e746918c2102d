import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

const policy = { initialDelayMs: 100, multiplier: 2, maxDelayMs: 1000, jitter: 0.2 };

describe('backoffDelay', () => {
  it('grows exponentially up to the cap without jitter', () => {
    const delays = [1, 2, 3, 4, 5, 6].map((retry) => backoffDelay(policy, retry, () => 0));
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('takes at most the jitter fraction off', () => {
    expect(backoffDelay(policy, 3, () => 1)).toBe(320);
    expect(backoffDelay(policy, 3, () => 0.5)).toBe(360);
  });

  it('keeps growing under any jitter draw while jitter < 1 - 1/multiplier', () => {
    for (let trial = 0; trial < 200; trial++) {
      const delays = [1, 2, 3].map((retry) => backoffDelay(policy, retry));
      expect(delays[1]).toBeGreaterThan(delays[0]!);
      expect(delays[2]).toBeGreaterThan(delays[1]!);
    }
  });
});
