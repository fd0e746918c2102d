import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const DEPCRUISE = join(ROOT, 'tools', 'architecture', 'node_modules', '.bin', 'depcruise');
const run = promisify(execFile);

let tree: string | undefined;
afterEach(() => tree && rmSync(tree, { recursive: true, force: true }));

/** A throwaway workspace laid out like ours: each entry is a file and the module it imports (if any). */
function workspace(files: Record<string, string | null>): string {
  tree = mkdtempSync(join(tmpdir(), 'dependency-rules-'));
  for (const [path, imported] of Object.entries(files)) {
    mkdirSync(dirname(join(tree, path)), { recursive: true });
    const body =
      imported === null
        ? 'export const value = 1;\n'
        : `import { value } from '${imported}';\nexport const used = value;\n`;
    writeFileSync(join(tree, path), body);
  }
  return tree;
}

/** Runs the same command the lint runs, with the repository's rules, on a fixture tree. */
async function violations(cwd: string): Promise<{ exitCode: number; output: string }> {
  try {
    const { stdout } = await run(
      DEPCRUISE,
      ['--config', CONFIG, '--output-type', 'err', 'packages', 'services', 'tools'],
      { cwd },
    );
    return { exitCode: 0, output: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { exitCode: failed.code, output: failed.stdout };
  }
}

describe('the dependency rules', () => {
  it('pass a workspace whose services and tools use packages and whose packages use contracts', async () => {
    const cwd = workspace({
      'packages/contracts/src/index.ts': null,
      'packages/kit/src/index.ts': '../../contracts/src/index.js',
      'services/chat/src/main.ts': '../../../packages/kit/src/index.js',
      'tools/loadgen/src/main.ts': '../../../packages/kit/src/index.js',
    });
    expect(await violations(cwd)).toMatchObject({ exitCode: 0 });
  });

  it.each([
    [
      'a package imports a service',
      'package-imports-service-or-tool',
      'packages/kit/src/index.ts',
      '../../../services/room/src/main.js',
    ],
    [
      'a package imports a tool',
      'package-imports-service-or-tool',
      'packages/kit/src/index.ts',
      '../../../tools/loadgen/src/main.js',
    ],
    [
      'a service imports another service',
      'service-imports-another-service',
      'services/chat/src/main.ts',
      '../../room/src/main.js',
    ],
    [
      'a tool imports a service',
      'tool-imports-service',
      'tools/loadgen/src/main.ts',
      '../../../services/room/src/main.js',
    ],
    [
      'contracts import one of our packages',
      'contracts-import-ours',
      'packages/contracts/src/index.ts',
      '../../kit/src/other.js',
    ],
  ])('fail when %s', async (_what, rule, from, imported) => {
    const cwd = workspace({
      'services/room/src/main.ts': null,
      'tools/loadgen/src/main.ts': null,
      'packages/kit/src/other.ts': null,
      [from]: imported,
    });
    const result = await violations(cwd);
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain(rule);
  });
});
