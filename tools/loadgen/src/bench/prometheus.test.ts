import { describe, expect, it } from 'vitest';
import { averagePublishBatch, sumOfMetric } from './prometheus.js';

const exposition = [
  '# HELP kafka_messages_published_total Events published, by outcome',
  'kafka_messages_published_total{topic="a",outcome="ok"} 900',
  'kafka_messages_published_total{topic="b",outcome="ok"} 100',
  'kafka_messages_published_total{topic="a",outcome="failed"} 7',
  'kafka_publish_seconds_count 250',
  'kafka_publish_seconds_sum 3.5',
].join('\n');

describe('prometheus exposition', () => {
  it('sums a metric over its label sets, optionally filtered', () => {
    expect(sumOfMetric(exposition, 'kafka_messages_published_total')).toBe(1007);
    expect(sumOfMetric(exposition, 'kafka_messages_published_total', 'outcome="ok"')).toBe(1000);
    expect(sumOfMetric(exposition, 'kafka_messages_published_total', 'outcome="ok"', 'topic="b"')).toBe(100);
    expect(sumOfMetric(exposition, 'kafka_publish_seconds')).toBe(0);
  });

  it('gives the average batch of the publisher', () => {
    expect(averagePublishBatch(exposition)).toBe(4);
    expect(averagePublishBatch('')).toBe(0);
  });
});
