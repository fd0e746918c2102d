import { run } from './shell.js';

/** Installs Debian packages with apt-get (through `sudo -n` when not root); rejects with apt's output. */
export async function aptInstall(packages: string[]): Promise<void> {
  const sudo = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args: string[]) =>
    sudo.length
      ? run(sudo[0]!, [...sudo.slice(1), 'apt-get', ...args], { env })
      : run('apt-get', args, { env });
  await apt(['update', '-qq']);
  await apt(['install', '-y', '-qq', ...packages]);
}
