import { describe, expect, it } from 'vitest';
import { LatencyRecorder } from './percentiles.js';

describe('LatencyRecorder', () => {
  it('summarises 1..100 ms within HDR precision', () => {
    const recorder = new LatencyRecorder();
    for (let ms = 1; ms <= 100; ms += 1) recorder.record(ms);
    const summary = recorder.summary();
    expect(summary.count).toBe(100);
    expect(summary.p50).toBeCloseTo(50, 0);
    expect(summary.p95).toBeCloseTo(95, 0);
    expect(summary.p99).toBeCloseTo(99, 0);
    expect(summary.max).toBeCloseTo(100, 0);
    expect(recorder.curve().at(-1)?.ms).toBeCloseTo(100, 0);
  });

  it('reports zeros and no curve when nothing was recorded', () => {
    const recorder = new LatencyRecorder();
    expect(recorder.summary()).toEqual({ count: 0, p50: 0, p95: 0, p99: 0, max: 0 });
    expect(recorder.curve()).toEqual([]);
  });

  it('keeps sub-millisecond and negative (clock) values in range', () => {
    const recorder = new LatencyRecorder();
    recorder.record(0.25);
    recorder.record(-3);
    expect(recorder.summary().max).toBeCloseTo(0.25, 2);
  });
});
