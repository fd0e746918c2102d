import { fileURLToPath } from 'node:url';
import { type ChildExit, TsChild } from '@chat/testkit/child';

const FIXTURE = fileURLToPath(new URL('../fixtures/room-process.ts', import.meta.url));

export interface RoomProcess {
  pid: number;
  exited: Promise<ChildExit>;
  /** Parsed JSON lines the process printed. */
  readonly lines: Record<string, unknown>[];
  ready(): Promise<void>;
  /** SIGTERM, then the exit. */
  stop(): Promise<ChildExit>;
}

/** Starts the room process fixture with only the environment given (and PATH). */
export function startRoomProcess(env: Record<string, string>): RoomProcess {
  const child = new TsChild(FIXTURE, { env, inheritEnv: false });
  return {
    pid: child.pid,
    exited: child.exited,
    get lines() {
      return child.json();
    },
    ready: () =>
      child.until('the room process to start', () => child.json().some((line) => line.ready === true)),
    stop: () => child.stop(),
  };
}
