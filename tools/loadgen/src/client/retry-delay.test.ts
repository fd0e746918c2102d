import { describe, expect, it } from 'vitest';
import { retryDelay } from './virtual-user.js';

describe('retryDelay', () => {
  it('doubles from 200 ms up to 5 s, jittered down to half', () => {
    expect(retryDelay(0, () => 1)).toBe(200);
    expect(retryDelay(3, () => 1)).toBe(1_600);
    expect(retryDelay(10, () => 1)).toBe(5_000);
    expect(retryDelay(10, () => 0)).toBe(2_500);
  });
});
