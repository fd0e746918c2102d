import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../private-servers.js';
import { toxiproxyBinary } from './binary.js';
import { ToxiproxyClient } from './client.js';

export interface PrivateToxiproxy {
  client: ToxiproxyClient;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 10_000;

/** A throwaway Toxiproxy server on a free API port, for one fault test or scenario. */
export async function startToxiproxy(): Promise<PrivateToxiproxy> {
  const binary = await toxiproxyBinary(() => undefined);
  const port = await freePort();
  const child = spawn(binary, ['-host', '127.0.0.1', '-port', String(port)], { stdio: 'ignore' });
  const client = new ToxiproxyClient(`http://127.0.0.1:${port}`);
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    try {
      if ((await fetch(`${client.apiUrl}/version`)).ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Toxiproxy did not start on port ${port}`);
    }
    await sleep(50);
  }
  return {
    client,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
