import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { uniqueName } from '@chat/testkit';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/chatctl.js', import.meta.url));
const exec = promisify(execFile);

describe('the chatctl binary', () => {
  it('runs as a process: output on stdout, errors on stderr, meaning in the exit code', async () => {
    const help = await exec(BIN, ['dlq', '--help']);
    expect(help.stdout).toContain('replay');
    const group = uniqueName('absent');
    const failure = await exec(BIN, ['--json', 'dlq', 'list', group]).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure).toMatchObject({ code: 3 });
    expect(JSON.parse((failure as { stderr: string }).stderr)).toEqual({
      error: { code: 'NOT_FOUND', message: `group "${group}" has no DLQ topic (${group}.dlq)` },
    });
  });
});
