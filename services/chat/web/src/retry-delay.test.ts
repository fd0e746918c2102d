import { describe, expect, it } from 'vitest';
import { retryDelay } from './retry-delay.js';

describe('retryDelay', () => {
  it('doubles from half a second to the cap, with at most half of each delay random', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((retry) => retryDelay(retry, 0, () => 0))).toEqual([
      500, 1_000, 2_000, 4_000, 8_000, 15_000, 15_000,
    ]);
    expect(retryDelay(3, 0, () => 1)).toBe(1_000);
  });

  it("waits at least the gateway's retryAfterMs, and backs off past it when refusals repeat", () => {
    expect(retryDelay(1, 900, () => 0)).toBe(900);
    expect(retryDelay(4, 900, () => 0)).toBe(4_000);
  });

  it('spreads pages refused together', () => {
    const delays = new Set(Array.from({ length: 50 }, () => retryDelay(3)));
    expect(delays.size).toBeGreaterThan(10);
    for (const delay of delays) expect(delay).toBeGreaterThanOrEqual(1_000);
  });
});
