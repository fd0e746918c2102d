import { describe, expect, it } from 'vitest';
import { isLate } from './loop-delay.js';

describe('loop delay', () => {
  it('is late only past a threshold, and never with the threshold off', () => {
    expect(isLate(51, 50)).toBe(true);
    expect(isLate(50, 50)).toBe(false);
    expect(isLate(10_000, 0)).toBe(false);
  });
});
