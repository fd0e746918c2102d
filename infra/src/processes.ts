import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Processes the launcher starts are detached, logged to a file and recorded
 * in a pid file. Each runs inside its own state directory, and a pid only
 * counts as ours while its working directory is still that one, so a
 * recycled pid is never killed (command lines are no proof: Redis rewrites
 * its process title).
 */
export interface ManagedProcess {
  pidFile: string;
  logFile: string;
  /** The process's working directory: its state directory. */
  cwd: string;
}

export function start(
  proc: ManagedProcess,
  command: string,
  args: string[],
  env?: NodeJS.ProcessEnv,
): number {
  mkdirSync(proc.cwd, { recursive: true });
  const log = openSync(proc.logFile, 'a');
  const child = spawn(command, args, {
    cwd: proc.cwd,
    detached: true,
    stdio: ['ignore', log, log],
    env: env ?? process.env,
  });
  closeSync(log);
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  child.unref();
  writeFileSync(proc.pidFile, String(child.pid));
  return child.pid;
}

/** The pid of our running process, or undefined (removing a stale pid file). */
export function runningPid(proc: ManagedProcess): number | undefined {
  if (!existsSync(proc.pidFile)) return undefined;
  const pid = Number(readFileSync(proc.pidFile, 'utf8').trim());
  if (Number.isInteger(pid) && pid > 0 && isOurs(pid, proc.cwd)) return pid;
  rmSync(proc.pidFile, { force: true });
  return undefined;
}

function isOurs(pid: number, cwd: string): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
    return readlinkSync(`/proc/${pid}/cwd`) === realpathSync(cwd) && state !== 'Z';
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function stop(proc: ManagedProcess, graceMs = 15_000): Promise<boolean> {
  const pid = runningPid(proc);
  if (pid === undefined) return false;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isOurs(pid, proc.cwd)) {
    if (Date.now() > deadline) process.kill(pid, 'SIGKILL');
    await sleep(100);
  }
  rmSync(proc.pidFile, { force: true });
  return true;
}

/** The last lines of a process log, for error messages when a server fails to start. */
export function tailOf(logFile: string, lines = 15): string {
  if (!existsSync(logFile)) return '(no log yet)';
  return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}
