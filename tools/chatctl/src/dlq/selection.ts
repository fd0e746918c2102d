import type { DeadLetter } from '@chat/base-listener';
import { DEAD_LETTER_REASONS } from '@chat/contracts';
import { CliError } from '../errors.js';
import { parsePosition, parseSince, type Position } from '../filters.js';

/** The filter flags `dlq list` and `dlq replay` share. */
export interface SelectionFlags {
  since?: string;
  errorClass?: string;
  topic?: string;
  reason?: string;
  at?: string[];
}

export interface Selection {
  /** True when at least one flag narrows the selection. */
  narrowed: boolean;
  matches(letter: DeadLetter): boolean;
}

const samePosition = (letter: DeadLetter, position: Position) =>
  letter.position.partition === position.partition && letter.position.offset === position.offset;

/** Validates every flag up front, so a typo fails before anything is read or replayed. */
export function selectionOf(flags: SelectionFlags): Selection {
  const since = flags.since === undefined ? undefined : parseSince(flags.since);
  const positions = (flags.at ?? []).map(parsePosition);
  if (flags.reason !== undefined && !(DEAD_LETTER_REASONS as readonly string[]).includes(flags.reason))
    throw new CliError('USAGE', `--reason must be one of ${DEAD_LETTER_REASONS.join(', ')}`);
  const narrowed =
    since !== undefined ||
    positions.length > 0 ||
    flags.errorClass !== undefined ||
    flags.topic !== undefined ||
    flags.reason !== undefined;
  return {
    narrowed,
    matches(letter) {
      const { context } = letter;
      if (since && Date.parse(context.deadLetteredAt) < since.getTime()) return false;
      if (flags.errorClass !== undefined && context.errorClass !== flags.errorClass) return false;
      if (flags.topic !== undefined && context.originalTopic !== flags.topic) return false;
      if (flags.reason !== undefined && context.reason !== flags.reason) return false;
      if (positions.length > 0 && !positions.some((position) => samePosition(letter, position))) return false;
      return true;
    },
  };
}
