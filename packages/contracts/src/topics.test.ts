import { describe, expect, it } from 'vitest';
import { PLATFORM_TOPICS, TOPICS } from './topics.js';

describe('platform topics', () => {
  it('declares every named topic once, with partitions to spread rooms over', () => {
    const names = PLATFORM_TOPICS.map((spec) => spec.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.sort()).toEqual(Object.values(TOPICS).sort());
    for (const spec of PLATFORM_TOPICS) expect(spec.partitions).toBeGreaterThan(1);
  });
});
