import { describe, expect, it } from 'vitest';
import { PLATFORM_TOPICS, TOPICS, groupTopics } from './topics.js';

describe('platform topics', () => {
  it('declares every named topic once, with partitions to spread rooms over', () => {
    const names = PLATFORM_TOPICS.map((spec) => spec.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.sort()).toEqual(Object.values(TOPICS).sort());
    for (const spec of PLATFORM_TOPICS) expect(spec.partitions).toBeGreaterThan(1);
  });

  it('names retry, dead-letter and processed topics per consumer group', () => {
    expect(groupTopics.retry('persistence', TOPICS.messages, 2)).toBe('persistence.chat.messages.v1.retry.2');
    expect(groupTopics.deadLetter('persistence')).toBe('persistence.dlq');
    expect(groupTopics.processed('persistence')).toBe('persistence.processed');
  });

  it('refuses names Kafka would refuse', () => {
    expect(() => groupTopics.deadLetter('bad group')).toThrow(RangeError);
  });
});
