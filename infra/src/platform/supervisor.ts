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
  /** The current process: a restart replaces it. */
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

export interface RestartPolicy {
  /** Wait before the first restart; doubled after each crash in the window. @defaultValue 500 */
  initialDelayMs: number;
  /** @defaultValue 15000 */
  maxDelayMs: number;
  /** Crashes within `windowMs` after which the service is given up. @defaultValue 5 */
  maxCrashes: number;
  /** @defaultValue 60000 */
  windowMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialDelayMs: 500,
  maxDelayMs: 15_000,
  maxCrashes: 5,
  windowMs: 60_000,
};

export interface Supervisor {
  /** SIGTERM to every service (they drain) with no restart of anything, SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Restarts a service whose process exits while the platform is not
 * stopping, as a process manager or the kubelet would: after a backoff that
 * doubles with each crash, each step reported through `report`; after
 * `maxCrashes` crashes within `windowMs` it gives up on that service,
 * loudly, and leaves the others running. `stop()` ends supervision first, so
 * a Ctrl-C of the platform never restarts anything.
 */
export function supervise(
  services: RunningService[],
  logDir: string,
  report: (line: string) => void,
  policy: RestartPolicy = DEFAULT_RESTART_POLICY,
): Supervisor {
  let stopping = false;
  const timers = new Set<NodeJS.Timeout>();
  const watch = (service: RunningService, crashes: number[]) => {
    service.child.once('exit', (code, signal) => {
      if (stopping) return;
      const now = Date.now();
      const recent = [...crashes.filter((at) => now - at < policy.windowMs), now];
      const name = service.spec.name;
      if (recent.length >= policy.maxCrashes) {
        report(
          `[${name}] GAVE UP: crashed ${recent.length} times within ${policy.windowMs / 1000} s (last: ${signal ?? code}); ` +
            `not restarting it. See ${service.logFile}:\n${tailOf(service.logFile)}`,
        );
        return;
      }
      const delay = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (recent.length - 1));
      report(
        `[${name}] exited unexpectedly (${signal ?? code}); restarting in ${delay} ms (crash ${recent.length} of ${policy.maxCrashes} allowed per ${policy.windowMs / 1000} s)`,
      );
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (stopping) return;
        service.child = startService(service.spec, logDir).child;
        watch(service, recent);
        waitUntilReady(service).then(
          () => report(`[${name}] restarted and ready again`),
          () => undefined, // its exit is reported (and counted) by the watch above
        );
      }, delay);
      timers.add(timer);
    });
  };
  for (const service of services) watch(service, []);
  return {
    async stop(graceMs) {
      stopping = true;
      for (const timer of timers) clearTimeout(timer);
      await stopAll(services, graceMs);
    },
  };
}
