import type { DeadLetter } from '@chat/base-listener';
import { clip, table } from '../io.js';

const text = (buffer: Buffer | null) => (buffer === null ? null : buffer.toString('utf8'));

/** A DLQ record as JSON output: buffers as UTF-8 text, everything else as decoded. */
export function letterJson(letter: DeadLetter) {
  return {
    position: letter.position,
    context: letter.context,
    key: text(letter.key),
    value: text(letter.value),
    headers: letter.headers,
  };
}

export const positionOf = (letter: DeadLetter) => `${letter.position.partition}:${letter.position.offset}`;

export function letterTable(letters: readonly DeadLetter[]): string {
  return table(
    [
      'position',
      'dead-lettered at',
      'source (topic/partition@offset)',
      'reason',
      'error',
      'attempts',
      'key',
      'message',
    ],
    letters.map((letter) => {
      const { context } = letter;
      return [
        positionOf(letter),
        context.deadLetteredAt,
        `${context.originalTopic}/${context.originalPartition}@${context.originalOffset}`,
        context.reason,
        context.errorCode ? `${context.errorClass} (${context.errorCode})` : context.errorClass,
        context.attempts,
        text(letter.key),
        clip(context.errorMessage, 60),
      ];
    }),
  );
}

/** Everything one record says, for `dlq show`: context, key, headers, value (pretty JSON when it is JSON). */
export function letterDetail(letter: DeadLetter): string {
  const { context } = letter;
  const rows: [string, string | number | undefined][] = [
    ['DLQ position', `${letter.position.topic} ${positionOf(letter)}`],
    [
      'source',
      `${context.originalTopic} partition ${context.originalPartition} offset ${context.originalOffset}`,
    ],
    ['source timestamp', context.originalTimestamp],
    ['consumer group', context.consumerGroup],
    ['reason', context.reason],
    ['error class', context.errorClass],
    ['error code', context.errorCode],
    ['error message', context.errorMessage],
    ['attempts', context.attempts],
    ['first failure', context.firstFailureAt],
    ['dead-lettered', context.deadLetteredAt],
    ['key', text(letter.key) ?? '(none)'],
  ];
  const lines = rows
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${`${name}:`.padEnd(18)}${value}`);
  const headers = Object.entries(letter.headers).map(([name, value]) => `  ${name}: ${value}`);
  return [
    ...lines,
    'headers:',
    ...(headers.length > 0 ? headers : ['  (none)']),
    'value:',
    prettyValue(text(letter.value)),
    ...(context.errorStack ? ['stack:', context.errorStack] : []),
    '',
  ].join('\n');
}

function prettyValue(value: string | null): string {
  if (value === null) return '  (null)';
  try {
    return JSON.stringify(JSON.parse(value), null, 2);
  } catch {
    return value;
  }
}
