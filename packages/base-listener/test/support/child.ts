import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@chat/testkit';

const FIXTURE = fileURLToPath(new URL('../fixtures/child-listener.ts', import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));

export interface ChildLine {
  type: string;
  offset?: string;
  key?: string;
}

/** A listener process under the test's control: its telemetry lines, and how it ended. */
export class ChildListener {
  readonly lines: ChildLine[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;
  private stderr = '';

  constructor(config: Record<string, unknown>) {
    this.child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
      cwd: PACKAGE_DIR,
      env: { ...process.env, CHILD_CONFIG: JSON.stringify(config) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffer = '';
    this.child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const complete = buffer.split('\n');
      buffer = complete.pop() ?? '';
      for (const line of complete) if (line.startsWith('{')) this.lines.push(JSON.parse(line) as ChildLine);
    });
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => resolve({ code, signal })),
    );
  }

  count(type: string): number {
    return this.lines.filter((line) => line.type === type).length;
  }

  async until(what: string, predicate: () => boolean, timeoutMs = 30_000): Promise<void> {
    let exited = false;
    void this.exited.then(() => (exited = true));
    await waitFor(
      what,
      () => {
        if (predicate()) return true;
        if (exited) throw new Error(`child exited before ${what}; stderr:\n${this.stderr}`);
        return false;
      },
      { timeoutMs },
    );
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Makes sure nothing outlives the test. */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}
