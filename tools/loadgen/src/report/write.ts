import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { markdownSummary } from './markdown.js';
import type { LoadReport } from './report.js';
import { percentileSvg } from './svg.js';

export const REPORT_FILES = { json: 'report.json', markdown: 'summary.md', plot: 'latency.svg' } as const;

/** Writes the JSON report, the Markdown summary and its plot into `dir`; returns the summary's path. */
export async function writeReport(report: LoadReport, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const summary = join(dir, REPORT_FILES.markdown);
  await Promise.all([
    writeFile(join(dir, REPORT_FILES.json), `${JSON.stringify(report, null, 2)}\n`),
    writeFile(join(dir, REPORT_FILES.plot), percentileSvg(report.curves)),
    writeFile(summary, markdownSummary(report, REPORT_FILES.plot)),
  ]);
  return summary;
}
