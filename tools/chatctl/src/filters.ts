import { CliError } from './errors.js';

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--since`: a duration back from now (`30m`, `2h`, `7d`) or an ISO timestamp. */
export function parseSince(value: string, now = Date.now()): Date {
  const duration = /^(\d+)([smhd])$/.exec(value);
  if (duration) return new Date(now - Number(duration[1]) * UNIT_MS[duration[2]!]!);
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed) || !/^\d{4}-\d{2}-\d{2}/.test(value))
    throw new CliError(
      'USAGE',
      `--since "${value}" is neither a duration (30m, 2h, 7d) nor an ISO timestamp`,
    );
  return new Date(parsed);
}

export function parseLimit(value: string): number {
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1)
    throw new CliError('USAGE', `--limit "${value}" is not a positive integer`);
  return limit;
}

export interface Position {
  partition: number;
  offset: string;
}

/** `partition:offset`, as `dlq list` prints it. */
export function parsePosition(value: string): Position {
  const match = /^(\d+):(\d+)$/.exec(value);
  if (!match) throw new CliError('USAGE', `"${value}" is not a DLQ position (partition:offset, e.g. 0:42)`);
  return { partition: Number(match[1]), offset: String(Number(match[2])) };
}
