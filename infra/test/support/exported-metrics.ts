import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../src/paths.js';

export type MetricKind = 'counter' | 'gauge' | 'histogram' | 'summary';

const NAME = "'([a-zA-Z_:][a-zA-Z0-9_:]*)'";
/** `new Counter({ name: '...' })` and the like, the name being the object's first fields. */
const CONSTRUCTED = new RegExp(
  `new\\s+(Counter|Gauge|Histogram|Summary)\\s*(?:<[^>]*>)?\\(\\s*\\{[^}]*?name:\\s*${NAME}`,
  'gs',
);
/** The kit's get-or-create helpers: `counter(registry, 'name', ...)`. */
const HELPER = new RegExp(`\\b(counter|gauge|histogram)\\(\\s*[\\w.]+\\s*,\\s*${NAME}`, 'g');

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) yield path;
  }
}

/** Every metric the workspace's TypeScript sources register with prom-client, by name. */
export function exportedMetrics(): Map<string, MetricKind> {
  const metrics = new Map<string, MetricKind>();
  for (const root of ['packages', 'services']) {
    for (const workspace of readdirSync(join(REPO_ROOT, root), { withFileTypes: true })) {
      if (!workspace.isDirectory()) continue;
      const src = join(REPO_ROOT, root, workspace.name, 'src');
      let files: string[];
      try {
        files = [...sourceFiles(src)];
      } catch {
        continue;
      }
      for (const file of files) {
        const text = readFileSync(file, 'utf8');
        for (const [, kind, name] of text.matchAll(CONSTRUCTED))
          metrics.set(name!, kind!.toLowerCase() as MetricKind);
        for (const [, kind, name] of text.matchAll(HELPER)) metrics.set(name!, kind as MetricKind);
      }
    }
  }
  return metrics;
}

/** The series names Prometheus scrapes for these metrics: a histogram is `_bucket`, `_sum` and `_count`. */
export function scrapedSeries(metrics: Map<string, MetricKind>): Set<string> {
  const series = new Set<string>();
  for (const [name, kind] of metrics) {
    if (kind === 'histogram')
      for (const suffix of ['_bucket', '_sum', '_count']) series.add(`${name}${suffix}`);
    else if (kind === 'summary') for (const suffix of ['', '_sum', '_count']) series.add(`${name}${suffix}`);
    else series.add(name);
  }
  return series;
}
