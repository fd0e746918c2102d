import { existsSync } from 'node:fs';
import { aptInstall } from '../apt.js';
import { InfraError } from '../errors.js';
import { run, which } from '../shell.js';

/** crun refuses the hybrid cgroup layout of these machines; runc works. */
const RUNTIME = '/usr/sbin/runc';
const TOOLS = { podman: 'podman', mmdebstrap: 'mmdebstrap', runc: 'runc' };

/** Runs `podman` with the runtime that works here; resolves to its output. */
export function podman(args: string[]): Promise<string> {
  return run('podman', ['--runtime', RUNTIME, ...args]);
}

/**
 * Podman's default limits ask for more than the current ones and setrlimit is refused. Open files
 * at the current soft value are allowed; processes above 1024 were refused here even below the
 * current limit, and no service forks.
 */
export async function ulimitArgs(): Promise<string[]> {
  const [files, processes] = (await run('bash', ['-c', 'ulimit -n; ulimit -u'])).trim().split('\n');
  const capped = (value: string | undefined, cap: number) =>
    Math.min(value && /^\d+$/.test(value) ? Number(value) : cap, cap);
  const nofile = capped(files, 65_536);
  const nproc = capped(processes, 1024);
  return ['--ulimit', `nofile=${nofile}:${nofile}`, '--ulimit', `nproc=${nproc}:${nproc}`];
}

/** Installs Podman, runc and mmdebstrap from Debian's apt on first use; Podman here needs root. */
export async function ensurePodman(progress: (message: string) => void): Promise<void> {
  if (process.getuid?.() !== 0) {
    throw new InfraError(
      'BAD_ENVIRONMENT',
      'building and running the images with Podman needs root on this machine (rootless Podman is not set up)',
    );
  }
  const missing = Object.entries(TOOLS)
    .filter(([command]) => (command === 'runc' ? !existsSync(RUNTIME) : !which(command)))
    .map(([, pkg]) => pkg);
  if (missing.length === 0) return;
  progress(`installing ${missing.join(', ')} from Debian's apt (first run only)`);
  try {
    await aptInstall(missing);
  } catch (error) {
    throw new InfraError(
      'INSTALL_FAILED',
      `could not install ${missing.join(', ')}: ${(error as Error).message}`,
    );
  }
}

/** True when the local image store holds `reference`. */
export async function imageExists(reference: string): Promise<boolean> {
  try {
    await podman(['image', 'exists', reference]);
    return true;
  } catch {
    return false;
  }
}
