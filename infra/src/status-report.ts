import type { ServerStatus } from './launcher.js';

/** Prints one line per server; sets exit code 1 when one does not answer. */
export function printStatus(rows: ServerStatus[]): void {
  for (const row of rows) {
    const where = row.external ? 'external' : row.pid ? `pid ${row.pid}` : 'stopped';
    console.log(
      `${row.name.padEnd(7)} ${(row.answering ? 'answering' : 'DOWN').padEnd(10)} ${row.address}  (${where})${row.error ? `  ${row.error}` : ''}`,
    );
  }
  if (rows.some((row) => !row.answering)) process.exitCode = 1;
}
