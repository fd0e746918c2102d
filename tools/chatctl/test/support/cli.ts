import { type Io, run } from '../../src/index.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** One in-process chatctl run with its output captured. */
export async function chatctl(...argv: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: Io = { out: (text) => (stdout += text), err: (text) => (stderr += text) };
  const code = await run(argv, io, process.env);
  return { code, stdout, stderr };
}

/** Runs with --json and parses stdout, failing loudly with stderr when the run did not succeed. */
export async function chatctlJson<T>(...argv: string[]): Promise<T> {
  const result = await chatctl(...argv, '--json');
  if (result.code !== 0) throw new Error(`chatctl ${argv.join(' ')} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}
