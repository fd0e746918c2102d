import { describe, expect, it } from 'vitest';
import { Ledger } from '../ledger/ledger.js';
import { resolveLoadOptions } from '../options/options.js';
import { markdownSummary } from './markdown.js';
import { buildReport, isClean } from './report.js';
import { percentileSvg } from './svg.js';

const options = resolveLoadOptions({
  gatewayUrls: ['http://127.0.0.1:8080'],
  roomApiUrl: 'http://127.0.0.1:3002',
  mongoUrl: 'mongodb://127.0.0.1:27018/chat',
  users: 2,
  rooms: 1,
  membersPerRoom: 2,
  ratePerSecond: 2,
  durationMs: 2_000,
  warmUpMs: 1_000,
  messageBytes: 10,
});

function ledgerOfTwo(): Ledger {
  const ledger = new Ledger();
  // c0 is in the warm-up: accounted, not measured.
  ledger.offered({ clientMessageId: 'c0', roomId: 'r', dueAt: 0, measured: false, members: 2 });
  ledger.offered({ clientMessageId: 'c1', roomId: 'r', dueAt: 1_000, measured: true, members: 2 });
  for (const [id, due] of [
    ['c0', 0],
    ['c1', 1_000],
  ] as const) {
    ledger.acked(id, `m-${id}`, 'accepted', due + 4);
    ledger.delivered(id, `m-${id}`, 'a', due + 6);
    ledger.delivered(id, `m-${id}`, 'b', due + 10);
    ledger.persisted(`m-${id}`, 50_000 + due + 300);
  }
  return ledger;
}

describe('buildReport', () => {
  it('measures latencies from the due time, only after the warm-up', () => {
    const report = buildReport(ledgerOfTwo(), options, {
      startedAt: new Date('2026-01-01T00:00:00Z'),
      durationMs: 2_500,
      clockOriginEpochMs: 50_000,
    });
    expect(report.acceptedPerSecond).toBe(1);
    expect(report.latency.ack.count).toBe(1);
    expect(report.latency.ack.p50).toBeCloseTo(4, 1);
    expect(report.latency.delivered.count).toBe(1);
    expect(report.latency.delivered.p99).toBeCloseTo(10, 1);
    expect(report.latency.persisted.max).toBeCloseTo(300, 0);
    expect(report.account).toMatchObject({ sent: 2, acked: 2, delivered: 2, persisted: 2 });
    expect(isClean(report.account)).toBe(true);
    expect(report.options).not.toHaveProperty('onProgress');
  });
});

describe('rendering', () => {
  const report = buildReport(ledgerOfTwo(), options, {
    startedAt: new Date('2026-01-01T00:00:00Z'),
    durationMs: 2_500,
    clockOriginEpochMs: 50_000,
  });

  it('writes a Markdown summary with the account, the plot and the verdict', () => {
    const markdown = markdownSummary(report, 'latency.svg');
    expect(markdown).toContain('**Accepted: 1 msg/s**');
    expect(markdown).toContain('![latency by percentile](latency.svg)');
    expect(markdown).toContain('| send→delivered | 1 |');
    expect(markdown).toContain('Clean: nothing acked was lost');
  });

  it('says when a run is not clean', () => {
    const dirty = { ...report, account: { ...report.account, missingDelivered: 1 } };
    expect(markdownSummary(dirty, 'latency.svg')).toContain('NOT clean');
  });

  it('draws one line per measured latency', () => {
    const svg = percentileSvg(report.curves);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<polyline/g)).toHaveLength(3);
    expect(percentileSvg({ ack: [], delivered: [], persisted: [] })).not.toContain('<polyline');
  });
});
