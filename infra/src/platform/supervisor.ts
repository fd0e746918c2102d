import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { OPS_PATHS } from '@chat/runtime';
import { InfraError } from '../errors.js';
import { tailOf } from '../processes.js';
import type { ServiceSpec } from './services.js';

export interface RunningService {
  spec: ServiceSpec;
  child: ChildProcess;
  logFile: string;
}

/** Starts one service as a child process (tsx, no build step; `spec.nodeArgs` before it), its output in a log file. */
export function startService(spec: ServiceSpec, logDir: string): RunningService {
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `${spec.name}.log`);
  const log = openSync(logFile, 'a');
  const args = [...(spec.nodeArgs ?? []), '--import', 'tsx', spec.script ?? 'src/main.ts'];
  const child = spawn(process.execPath, args, {
    cwd: spec.dir,
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', log, log],
  });
  return { spec, child, logFile };
}

/** Waits until the service's readiness endpoint answers 200; fails with its log tail if it exits or times out. */
export async function waitUntilReady(service: RunningService, timeoutSeconds = 120): Promise<void> {
  const url = `http://127.0.0.1:${service.spec.port}${OPS_PATHS.readiness}`;
  const deadline = Date.now() + timeoutSeconds * 1000;
  while (Date.now() < deadline) {
    if (service.child.exitCode !== null || service.child.signalCode !== null) {
      throw new InfraError(
        'START_FAILED',
        `${service.spec.name} exited while starting. Last lines of ${service.logFile}:\n${tailOf(service.logFile)}`,
      );
    }
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(2000) })).status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(300);
  }
  throw new InfraError(
    'START_FAILED',
    `${service.spec.name} was not ready within ${timeoutSeconds} s. Last lines of ${service.logFile}:\n${tailOf(service.logFile)}`,
  );
}

/** SIGTERM to every service (they drain), SIGKILL to any still running after `graceMs`. */
export async function stopAll(services: RunningService[], graceMs = 25_000): Promise<void> {
  const alive = services.filter(({ child }) => child.exitCode === null && child.signalCode === null);
  const exits = alive.map(({ child }) => new Promise((resolve) => child.once('exit', resolve)));
  for (const { child } of alive) child.kill('SIGTERM');
  const timer = setTimeout(() => alive.forEach(({ child }) => child.kill('SIGKILL')), graceMs);
  await Promise.all(exits);
  clearTimeout(timer);
}
