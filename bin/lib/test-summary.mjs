// Totals every suite of the turbo runs into the one closing line CI reads:
// test cases from each package's vitest JSON report, plus each lint or
// typecheck task that failed, plus each test task that crashed without a report.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const turboStatus = Number(process.argv[2] ?? 0);
const runsDir = '.turbo/runs';
const runFiles = existsSync(runsDir) ? readdirSync(runsDir).filter((name) => name.endsWith('.json')) : [];
if (runFiles.length === 0) {
  console.log('no turbo run summary was written');
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const tasks = runFiles.flatMap((file) => JSON.parse(readFileSync(join(runsDir, file), 'utf8')).tasks);

let passed = 0;
let failed = 0;
const lines = [];
for (const task of tasks) {
  const exitCode = task.execution?.exitCode ?? 1;
  if (task.task === 'test') {
    const reportFile = join(task.directory, '.reports', 'vitest.json');
    if (existsSync(reportFile)) {
      const report = JSON.parse(readFileSync(reportFile, 'utf8'));
      passed += report.numPassedTests;
      failed += report.numFailedTests;
      lines.push(
        `  ${task.package.padEnd(24)} ${report.numPassedTests} passed, ${report.numFailedTests} failed`,
        ...failedTests(report, task.directory),
      );
      if (exitCode !== 0 && report.numFailedTests === 0) {
        failed += 1;
        lines.push(
          `  ${task.package.padEnd(24)} test run exited ${exitCode} with no failed test (a suite failed to load?)`,
          ...whyItExited(task.directory),
        );
      }
    } else if (exitCode !== 0) {
      failed += 1;
      lines.push(`  ${task.package.padEnd(24)} test run exited ${exitCode} without a report`);
    }
  } else if (exitCode !== 0) {
    failed += 1;
    lines.push(`  ${task.package.padEnd(24)} ${task.task} FAILED`);
  }
}
/**
 * A line per failed test naming its file, its full name and the first line of its failure,
 * so that a CI log shown only in part still says what failed.
 */
function failedTests(report, directory) {
  return report.testResults.flatMap((file) =>
    file.assertionResults
      .filter((test) => test.status === 'failed')
      .map((test) => {
        const reason = (test.failureMessages[0] ?? '').split('\n')[0].slice(0, 200);
        return `      ✗ ${relative(directory, file.name)} > ${test.fullName}: ${reason}`;
      }),
  );
}

/**
 * The lines of a test task's log that say why vitest failed a run whose tests all passed:
 * its unhandled errors or a suite that failed to load, else the log's end.
 */
function whyItExited(directory) {
  const logFile = join(directory, '.turbo', 'turbo-test.log');
  if (!existsSync(logFile)) return [];
  // eslint-disable-next-line no-control-regex
  const log = readFileSync(logFile, 'utf8')
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n');
  const start = log.findIndex((line) =>
    /Unhandled (Error|Rejection)|Failed Suites|failed to load/i.test(line),
  );
  const excerpt = start >= 0 ? log.slice(start, start + 40) : log.slice(-30);
  return excerpt.map((line) => `      | ${line}`);
}

console.log('\nsummary by package:');
console.log(lines.join('\n'));
if (turboStatus !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
