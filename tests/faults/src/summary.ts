/** One line of the fault suite's summary: the zero-loss account of one scenario. */
export interface ScenarioRow {
  scenario: string;
  sent: number;
  acked: number;
  /** Of those, acked as queued in the gateway's backup queue (Kafka unreachable). */
  queued: number;
  delivered: number;
  persisted: number;
  /** Edits and deletes acknowledged (their loss and duplicates count in `lost` and `duplicates`). */
  changesAcked: number;
  /** Acked messages that never reached every member or MongoDB. */
  lost: number;
  /** Extra bubbles shown plus extra documents stored. */
  duplicates: number;
  /** From the injection until every service was ready again after the repair. */
  recoveryMs: number;
}

const COLUMNS: { title: string; cell: (row: ScenarioRow) => string }[] = [
  { title: 'scenario', cell: (row) => row.scenario },
  { title: 'sent', cell: (row) => String(row.sent) },
  { title: 'acked', cell: (row) => String(row.acked) },
  { title: 'queued', cell: (row) => String(row.queued) },
  { title: 'delivered', cell: (row) => String(row.delivered) },
  { title: 'persisted', cell: (row) => String(row.persisted) },
  { title: 'changes', cell: (row) => String(row.changesAcked) },
  { title: 'lost', cell: (row) => String(row.lost) },
  { title: 'duplicates', cell: (row) => String(row.duplicates) },
  { title: 'recovery', cell: (row) => `${(row.recoveryMs / 1000).toFixed(1)} s` },
];

/** A Markdown table, columns padded so it also reads well in a terminal. */
export function summaryTable(rows: ScenarioRow[]): string {
  const cells = [
    COLUMNS.map((column) => column.title),
    ...rows.map((row) => COLUMNS.map((c) => c.cell(row))),
  ];
  const widths = COLUMNS.map((_, i) => Math.max(...cells.map((line) => line[i]!.length)));
  const line = (values: string[]) =>
    `| ${values.map((value, i) => (i === 0 ? value.padEnd(widths[i]!) : value.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((width, i) => (i === 0 ? `:${'-'.repeat(width + 1)}` : `${'-'.repeat(width + 1)}:`)).join('|')}|`;
  return [line(cells[0]!), rule, ...cells.slice(1).map(line)].join('\n');
}
