import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadReport } from '../report/report.js';

/** `tools/loadgen/.reports` (gitignored). */
export const DEFAULT_REPORTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../.reports');

const fmt = ({ p50, p95, p99, max }: { p50: number; p95: number; p99: number; max: number }) =>
  `p50 ${p50} · p95 ${p95} · p99 ${p99} · max ${max} ms`;

/** The few lines a person reads after a run. */
export function printSummary(report: LoadReport, summaryFile: string): void {
  const { account, latency } = report;
  console.log(
    [
      `accepted ${report.acceptedPerSecond} msg/s (offered ${report.offeredPerSecond})`,
      `send→ack        ${fmt(latency.ack)}`,
      `send→delivered  ${fmt(latency.delivered)}`,
      `send→persisted  ${report.persistenceChecked ? fmt(latency.persisted) : 'not checked'}`,
      `scheduler lag   ${report.schedulerLag ? fmt(report.schedulerLag) : 'n/a'}`,
      `errors          ${JSON.stringify(report.errors)}`,
      `account         ${JSON.stringify(account)}`,
      `report          ${summaryFile}`,
    ].join('\n'),
  );
}
