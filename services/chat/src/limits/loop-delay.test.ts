import { describe, expect, it } from 'vitest';
import { isLate, smoothed } from './loop-delay.js';

describe('loop delay', () => {
  it('is late only past a threshold, and never with the threshold off', () => {
    expect(isLate(51, 50)).toBe(true);
    expect(isLate(50, 50)).toBe(false);
    expect(isLate(10_000, 0)).toBe(false);
  });

  it('lets a lone pause fade but counts a stall or a loop late at every tick', () => {
    const after = (delays: number[]) => delays.reduce(smoothed, 0);
    expect(isLate(after([60]), 50)).toBe(false);
    expect(isLate(after([400]), 50)).toBe(true);
    expect(isLate(after([400, 0, 0, 0]), 50)).toBe(false);
    expect(isLate(after(Array.from({ length: 20 }, () => 60)), 50)).toBe(true);
  });
});
