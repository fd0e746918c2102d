import { spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningService, ServiceSpec } from '@chat/infra/platform';

export { stopAll, waitUntilReady, type RunningService } from '@chat/infra/platform';

/**
 * Like `startService` of `@chat/infra/platform`, which runs `src/main.ts`
 * with no Node flags, but with a script and Node flags of our own: the naive
 * baseline's entry point, and `--cpu-prof` for a profiled gateway.
 */
export function spawnService(
  spec: ServiceSpec & { script: string; nodeArgs?: string[] },
  logDir: string,
): RunningService {
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `${spec.name}.log`);
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, [...(spec.nodeArgs ?? []), '--import', 'tsx', spec.script], {
    cwd: spec.dir,
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', log, log],
  });
  return { spec, child, logFile };
}
