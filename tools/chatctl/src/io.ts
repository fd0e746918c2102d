import Table from 'cli-table3';

/** Where a run writes: the process's streams, or strings a test collects. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** A terminal to draw progress bars on; absent when output is piped or captured. */
  progress?: NodeJS.WriteStream;
}

export function processIo(): Io {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    ...(process.stderr.isTTY ? { progress: process.stderr } : {}),
  };
}

export type Cell = string | number | null | undefined;

/** A plain table (no colours, so piping it into a file or grep stays readable). */
export function table(head: string[], rows: Cell[][]): string {
  const rendered = new Table({
    head,
    style: { head: [], border: [] },
    // No rule between rows: long listings stay compact.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const row of rows)
    rendered.push(row.map((cell) => (cell === null || cell === undefined ? '' : String(cell))));
  return `${rendered.toString()}\n`;
}

export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function clip(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
