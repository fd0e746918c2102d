import { type ChildProcess, spawn } from 'node:child_process';
import { waitFor } from './wait-for.js';

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface TsChildOptions {
  /** Where `tsx` and the file's imports resolve from. */
  cwd?: string;
  env?: Record<string, string>;
  /** false: the child gets PATH and `env` only, nothing else of the test's environment. */
  inheritEnv?: boolean;
}

/**
 * A TypeScript file run as its own process with `node --import tsx` (node
 * itself, not the tsx wrapper, so the pid is the process a SIGKILL hits):
 * its stdout lines, its stderr, and how it ended.
 */
export class TsChild {
  readonly lines: string[] = [];
  readonly exited: Promise<ChildExit>;
  private readonly child: ChildProcess;
  private stderrText = '';
  private ended = false;

  constructor(file: string, { cwd, env = {}, inheritEnv = true }: TsChildOptions = {}) {
    this.child = spawn(process.execPath, ['--import', 'tsx', file], {
      ...(cwd ? { cwd } : {}),
      env: inheritEnv ? { ...process.env, ...env } : { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffered = '';
    this.child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const complete = buffered.split('\n');
      buffered = complete.pop() ?? '';
      this.lines.push(...complete);
    });
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderrText += chunk.toString()));
    this.exited = new Promise((resolve) =>
      // 'close', not 'exit': by then stdout is drained, so a last line printed before exiting is in `lines`.
      this.child.once('close', (code, signal) => {
        this.ended = true;
        if (code !== 0 && signal === null && this.stderrText) console.error(this.stderrText);
        resolve({ code, signal });
      }),
    );
  }

  get pid(): number {
    return this.child.pid!;
  }

  get stderr(): string {
    return this.stderrText;
  }

  /** The stdout lines that are JSON objects, parsed (other output, such as a multi-line dump, is passed over). */
  json<T = Record<string, unknown>>(): T[] {
    return this.lines.filter((line) => line.startsWith('{"')).map((line) => JSON.parse(line) as T);
  }

  /** Waits for `predicate`, failing at once (with the child's stderr) if the child ends first. */
  async until(what: string, predicate: () => boolean, timeoutMs = 30_000): Promise<void> {
    await waitFor(
      what,
      () => {
        if (predicate()) return true;
        if (this.ended) throw new Error(`child exited before ${what}; stderr:\n${this.stderrText}`);
        return false;
      },
      { timeoutMs },
    );
  }

  /** The first stdout line `matches` accepts, once printed. */
  async waitForLine(what: string, matches: (line: string) => boolean, timeoutMs = 30_000): Promise<string> {
    await this.until(what, () => this.lines.some(matches), timeoutMs);
    return this.lines.find(matches)!;
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Sends `signal` (SIGTERM unless told) and waits for the exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<ChildExit> {
    if (!this.ended) this.child.kill(signal);
    return this.exited;
  }

  /** Makes sure nothing outlives the test. */
  async kill(): Promise<void> {
    await this.stop('SIGKILL');
  }
}

export function spawnTs(file: string, options?: TsChildOptions): TsChild {
  return new TsChild(file, options);
}
