import { createServer } from 'node:net';
import { run, which } from './shell.js';
import { InfraError } from './errors.js';

/** Fails with a clear message naming the holder when a port a local server needs is taken by someone else. */
export async function assertPortFree(port: number, server: string, envVariable: string): Promise<void> {
  const free = await new Promise<boolean>((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
  if (free) return;
  const holder = await describeHolder(port);
  throw new InfraError(
    'PORT_IN_USE',
    `port ${port} on 127.0.0.1, which the local ${server} needs, is already in use${holder}. ` +
      `Stop that program, or set ${envVariable} to use a ${server} you run yourself.`,
  );
}

async function describeHolder(port: number): Promise<string> {
  if (!which('ss')) return '';
  try {
    const line = (await run('ss', ['-ltnpH', `sport = :${port}`])).trim().split('\n')[0] ?? '';
    const match = /users:\(\("([^"]+)",pid=(\d+)/.exec(line);
    return match ? ` by ${match[1]} (pid ${match[2]})` : '';
  } catch {
    return '';
  }
}
