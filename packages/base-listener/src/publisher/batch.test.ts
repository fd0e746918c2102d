import { describe, expect, it } from 'vitest';
import { batchLength } from './batch.js';

describe('batchLength', () => {
  const size = (bytes: number) => bytes;

  it('takes everything waiting when it fits', () => {
    expect(batchLength([10, 10, 10], size, { maxMessages: 5, maxBytes: 100 })).toBe(3);
    expect(batchLength([], size, { maxMessages: 5, maxBytes: 100 })).toBe(0);
  });

  it('stops at the message count and at the byte limit, oldest first', () => {
    expect(batchLength([1, 1, 1, 1], size, { maxMessages: 2, maxBytes: 100 })).toBe(2);
    expect(batchLength([40, 40, 40], size, { maxMessages: 10, maxBytes: 100 })).toBe(2);
  });

  it('always takes one record, even one over the byte limit', () => {
    expect(batchLength([500, 1], size, { maxMessages: 10, maxBytes: 100 })).toBe(1);
  });
});
