import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);
const PROMTOOL = '/usr/bin/promtool';

/**
 * Debian's `prometheus` package ships promtool. Installed with apt-get on
 * first use (as root), like bin/test installs Chromium; anything else fails
 * loudly with what to do.
 */
export function promtool(): string {
  if (existsSync(PROMTOOL)) return PROMTOOL;
  process.stderr.write("installing Debian's prometheus package for promtool (first run only)\n");
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'prometheus'], {
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  } catch (error) {
    throw new Error(
      `promtool is missing and apt-get could not install Debian's prometheus package (${(error as Error).message}); install it yourself (it ships ${PROMTOOL})`,
    );
  }
  if (!existsSync(PROMTOOL)) throw new Error(`installing prometheus left no ${PROMTOOL}`);
  return PROMTOOL;
}

/** `promtool test rules FILE`: passes or not, with promtool's own report. */
export async function promtoolTestRules(file: string): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await run(promtool(), ['test', 'rules', file], { maxBuffer: 1 << 22 });
    return { ok: true, output: `${stdout}${stderr}` };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; code?: unknown };
    if (typeof failed.code !== 'number') throw error;
    return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}
