import { describe, expect, it } from 'vitest';
import { type BufferedEntry, WriteBuffer, commitPointsOf } from './write-buffer.js';

const entry = (topic: string, partition: number, offset: number, receivedAt = 0): BufferedEntry<string> => ({
  topic,
  partition,
  offset: String(offset),
  item: `${topic}/${partition}@${offset}`,
  receivedAt,
});

describe('WriteBuffer', () => {
  it('ignores an offset at or below the last one buffered for its partition', () => {
    const buffer = new WriteBuffer<string>();
    expect(buffer.add(entry('m', 0, 5))).toBe(true);
    expect(buffer.add(entry('m', 0, 5))).toBe(false);
    expect(buffer.add(entry('m', 0, 4))).toBe(false);
    expect(buffer.add(entry('m', 1, 4))).toBe(true);
    expect(buffer.add(entry('m', 0, 6))).toBe(true);
    expect(buffer.size).toBe(3);
  });

  it('takes up to the limit, keeping each partition in offset order', () => {
    const buffer = new WriteBuffer<string>();
    for (const offset of [1, 2, 3]) buffer.add(entry('m', 0, offset));
    for (const offset of [7, 8]) buffer.add(entry('m', 1, offset));
    expect(buffer.take(4).map((taken) => taken.item)).toEqual(['m/0@1', 'm/0@2', 'm/0@3', 'm/1@7']);
    expect(buffer.size).toBe(1);
    expect(buffer.take(10).map((taken) => taken.item)).toEqual(['m/1@8']);
    expect(buffer.size).toBe(0);
    // Taken is not forgotten: a re-fetch of an already written offset is still refused.
    expect(buffer.add(entry('m', 0, 3))).toBe(false);
  });

  it("reports the oldest entry's age", () => {
    const buffer = new WriteBuffer<string>();
    expect(buffer.oldestAge(100)).toBeUndefined();
    buffer.add(entry('m', 0, 1, 40));
    buffer.add(entry('m', 1, 1, 10));
    buffer.add(entry('m', 1, 2, 5));
    expect(buffer.oldestAge(100)).toBe(90);
  });

  it('drops partitions it no longer owns, and accepts their records again later', () => {
    const buffer = new WriteBuffer<string>();
    buffer.add(entry('m', 0, 1));
    buffer.add(entry('m', 1, 1));
    buffer.add(entry('m', 1, 2));
    expect(buffer.dropPartitions((_topic, partition) => partition === 0)).toBe(2);
    expect(buffer.size).toBe(1);
    expect(buffer.add(entry('m', 1, 1))).toBe(true);
    expect(buffer.add(entry('m', 0, 1))).toBe(false);
  });
});

describe('commitPointsOf', () => {
  it('commits one past the highest written offset per partition', () => {
    const points = commitPointsOf([entry('m', 0, 9), entry('m', 0, 12), entry('r', 0, 3), entry('m', 1, 2)]);
    expect(points).toEqual([
      { topic: 'm', partition: 0, offset: '13' },
      { topic: 'r', partition: 0, offset: '4' },
      { topic: 'm', partition: 1, offset: '3' },
    ]);
  });
});
