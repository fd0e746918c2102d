import type { LatencyKind, PercentilePoint } from './report.js';

const WIDTH = 640;
const HEIGHT = 320;
const MARGIN = { left: 60, right: 120, top: 20, bottom: 40 };
const COLOURS: Record<LatencyKind, string> = { ack: '#1f77b4', delivered: '#2ca02c', persisted: '#d62728' };
/** Tail percentiles get room: x is log10(1 / (1 − p)), so 90, 99, 99.9 are evenly spaced. */
const MAX_NINES = 4;

const nines = (percentile: number) => Math.min(MAX_NINES, Math.log10(100 / Math.max(1e-9, 100 - percentile)));

/** A latency-by-percentile plot of each curve, as a standalone SVG document. */
export function percentileSvg(curves: Record<LatencyKind, PercentilePoint[]>): string {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const maxMs = Math.max(1, ...Object.values(curves).flatMap((curve) => curve.map(({ ms }) => ms)));
  const x = (percentile: number) => MARGIN.left + (nines(percentile) / MAX_NINES) * plotWidth;
  const y = (ms: number) => MARGIN.top + plotHeight - (ms / maxMs) * plotHeight;
  const ticks = [0, 90, 99, 99.9, 99.99]
    .map(
      (p) =>
        `<line x1="${x(p)}" y1="${MARGIN.top}" x2="${x(p)}" y2="${MARGIN.top + plotHeight}" stroke="#ddd"/>` +
        `<text x="${x(p)}" y="${HEIGHT - 20}" font-size="11" text-anchor="middle">p${p}</text>`,
    )
    .join('');
  const yTicks = [0, 0.25, 0.5, 0.75, 1]
    .map(
      (f) =>
        `<text x="${MARGIN.left - 6}" y="${y(f * maxMs) + 4}" font-size="11" text-anchor="end">${Math.round(f * maxMs)}</text>`,
    )
    .join('');
  const lines = (Object.entries(curves) as [LatencyKind, PercentilePoint[]][])
    .filter(([, curve]) => curve.length > 0)
    .map(([kind, curve], index) => {
      const points = curve
        .map(({ percentile, ms }) => `${x(percentile).toFixed(1)},${y(ms).toFixed(1)}`)
        .join(' ');
      const legendY = MARGIN.top + 16 * (index + 1);
      return (
        `<polyline fill="none" stroke="${COLOURS[kind]}" stroke-width="2" points="${points}"/>` +
        `<text x="${WIDTH - MARGIN.right + 10}" y="${legendY}" font-size="12" fill="${COLOURS[kind]}">${kind}</text>`
      );
    })
    .join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ticks,
    yTicks,
    `<text x="14" y="${MARGIN.top + plotHeight / 2}" font-size="12" transform="rotate(-90 14 ${MARGIN.top + plotHeight / 2})" text-anchor="middle">latency (ms)</text>`,
    `<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 4}" font-size="12" text-anchor="middle">percentile</text>`,
    lines,
    '</svg>',
  ].join('\n');
}
