// Plain JavaScript: vitest loads config files through Node, which cannot import TypeScript from a workspace package.
import { defineConfig } from 'vitest/config';

/**
 * Every suite writes a JSON report to `.reports/vitest.json`, which the
 * README's test command totals into one `N passed, N failed` line.
 * Integration suites share one set of local servers, so their files run one
 * at a time.
 * @param {{ integration?: boolean, testTimeout?: number }} [options]
 */
export function suiteConfig(options = {}) {
  const integration = options.integration ?? false;
  return defineConfig({
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      reporters: ['default', ['json', { outputFile: '.reports/vitest.json' }]],
      testTimeout: options.testTimeout ?? (integration ? 60_000 : 5_000),
      hookTimeout: integration ? 120_000 : 10_000,
      fileParallelism: !integration,
    },
  });
}
