import { isClean, type LoadReport } from './report.js';

const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;

/** The human summary of a run; `plotFile` is the SVG written beside it. */
export function markdownSummary(report: LoadReport, plotFile: string): string {
  const { options, account, latency } = report;
  const errors = Object.entries(report.errors);
  return [
    `# Load run ${report.startedAt}`,
    '',
    `${options.users} users, ${options.rooms} rooms × ${options.membersPerRoom} members, ` +
      `${options.ratePerSecond} msg/s offered for ${options.durationMs / 1000} s ` +
      `(warm-up ${options.warmUpMs / 1000} s), ${options.messageBytes}-character messages, ` +
      `gateways ${options.gatewayUrls.join(', ')}.`,
    '',
    `**Accepted: ${report.acceptedPerSecond} msg/s** (offered ${report.offeredPerSecond} msg/s).`,
    '',
    '## Latency (ms, from the scheduled send time)',
    '',
    row(['', 'count', 'p50', 'p95', 'p99', 'max']),
    row(['---', '---:', '---:', '---:', '---:', '---:']),
    ...(['ack', 'delivered', 'persisted'] as const).map((kind) =>
      row([
        `send→${kind}`,
        latency[kind].count,
        latency[kind].p50,
        latency[kind].p95,
        latency[kind].p99,
        latency[kind].max,
      ]),
    ),
    '',
    `![latency by percentile](${plotFile})`,
    '',
    '## Zero-loss account',
    '',
    row([
      'sent',
      'acked',
      'queued',
      'delivered',
      'persisted',
      'dup. shown',
      'dup. stored',
      'missing delivered',
      'missing persisted',
    ]),
    row(Array.from({ length: 9 }, () => '---:')),
    row([
      account.sent,
      account.acked,
      account.queued,
      account.delivered,
      report.persistenceChecked ? account.persisted : 'not checked',
      account.duplicatesShown,
      account.duplicatesStored,
      account.missingDelivered,
      report.persistenceChecked ? account.missingPersisted : 'not checked',
    ]),
    '',
    isClean(account, report.changes)
      ? 'Clean: nothing acked was lost, nothing was doubled.'
      : '**NOT clean: see the missing and duplicate counts.**',
    '',
    '## Errors',
    '',
    errors.length ? errors.map(([code, n]) => `- ${code}: ${n}`).join('\n') : 'None.',
    '',
  ].join('\n');
}
