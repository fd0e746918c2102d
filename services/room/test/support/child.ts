import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@chat/testkit';

const FIXTURE = fileURLToPath(new URL('../fixtures/room-process.ts', import.meta.url));

export interface RoomProcess {
  pid: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Parsed JSON lines the process printed. */
  lines: Record<string, unknown>[];
  ready(): Promise<void>;
  /** SIGTERM, then the exit. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts the room process fixture with node itself (not the tsx wrapper),
 * so the pid is the process a SIGKILL hits.
 */
export function startRoomProcess(env: Record<string, string>): RoomProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const complete = buffered.split('\n');
    buffered = complete.pop() ?? '';
    for (const line of complete) {
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        lines.push({ text: line });
      }
    }
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      if (code !== 0 && signal === null && stderr) console.error(stderr);
      resolve({ code, signal });
    }),
  );
  return {
    pid: child.pid!,
    exited,
    lines,
    ready: async () => {
      await waitFor('the room process to start', () => lines.some((line) => line.ready === true), {
        timeoutMs: 30_000,
      });
    },
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
