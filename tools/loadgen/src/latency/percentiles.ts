import * as hdr from 'hdr-histogram-js';

/** Latency summary in milliseconds; all zero with `count` 0 when nothing was measured. */
export interface Percentiles {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Points of the percentile plot: `percentile` in (0, 100], `ms` the latency at it. */
export interface PercentilePoint {
  percentile: number;
  ms: number;
}

/** Recorded in microseconds, three significant digits: 0.1 % precision from 1 µs to an hour. */
const MICROS_PER_MS = 1000;
const HIGHEST_MICROS = 3_600_000_000;
const PLOTTED_PERCENTILES = [0, 50, 75, 90, 95, 99, 99.5, 99.9, 99.99, 100];

/** An HDR histogram of latencies given in (fractional) milliseconds. */
export class LatencyRecorder {
  private readonly histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_MICROS,
    numberOfSignificantValueDigits: 3,
  });

  record(ms: number): void {
    this.histogram.recordValue(Math.min(HIGHEST_MICROS, Math.max(1, Math.round(ms * MICROS_PER_MS))));
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  summary(): Percentiles {
    if (this.count === 0) return { count: 0, p50: 0, p95: 0, p99: 0, max: 0 };
    const at = (p: number) => round(this.histogram.getValueAtPercentile(p) / MICROS_PER_MS);
    return {
      count: this.count,
      p50: at(50),
      p95: at(95),
      p99: at(99),
      max: round(this.histogram.maxValue / MICROS_PER_MS),
    };
  }

  curve(): PercentilePoint[] {
    if (this.count === 0) return [];
    return PLOTTED_PERCENTILES.map((percentile) => ({
      percentile,
      ms: round(this.histogram.getValueAtPercentile(percentile) / MICROS_PER_MS),
    }));
  }
}

const round = (ms: number) => Math.round(ms * 100) / 100;
