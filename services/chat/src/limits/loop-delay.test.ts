import { describe, expect, it } from 'vitest';
import { SHED_ALL_AT, shedShare, smoothed } from './loop-delay.js';

describe('loop delay', () => {
  it('sheds nothing up to the start, then a share rising in proportion to everything', () => {
    expect(shedShare(50, 50)).toBe(0);
    expect(shedShare(20, 50)).toBe(0);
    expect(shedShare(50 + 15, 50)).toBeCloseTo(0.1);
    expect(shedShare(50 * ((SHED_ALL_AT + 1) / 2), 50)).toBeCloseTo(0.5);
    expect(shedShare(50 * SHED_ALL_AT, 50)).toBe(1);
    expect(shedShare(10_000, 50)).toBe(1);
  });

  it('never sheds with the start off', () => {
    expect(shedShare(10_000, 0)).toBe(0);
  });

  it('lets a lone pause fade but counts a stall or a loop late at every tick', () => {
    const after = (delays: number[]) => delays.reduce(smoothed, 0);
    expect(shedShare(after([60]), 50)).toBe(0);
    expect(shedShare(after([400]), 50)).toBeGreaterThan(0);
    expect(shedShare(after([400, 0, 0, 0]), 50)).toBe(0);
    expect(shedShare(after(Array.from({ length: 20 }, () => 60)), 50)).toBeGreaterThan(0);
  });
});
