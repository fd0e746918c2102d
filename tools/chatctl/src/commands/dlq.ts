import { type DeadLetter, readDeadLetters, replayDeadLetters } from '@chat/base-listener';
import { type Command, Option } from 'commander';
import type { Bind } from '../bind.js';
import type { Context } from '../context.js';
import { letterDetail, letterJson, letterTable, positionOf } from '../dlq/present.js';
import { type SelectionFlags, selectionOf } from '../dlq/selection.js';
import { CliError, asCliError } from '../errors.js';
import { parseLimit, parsePosition } from '../filters.js';
import { json } from '../io.js';
import { existingDeadLetterTopic, recordCount } from '../kafka.js';
import { progress } from '../progress.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

function selectionFlags(command: Command): Command {
  return command
    .option('--since <when>', 'dead-lettered since a duration ago (30m, 2h, 7d) or an ISO timestamp')
    .option('--error-class <class>', 'only this error class (e.g. ValidationError)')
    .option('--topic <topic>', 'only records from this source topic')
    .addOption(new Option('--reason <reason>', 'only this reason').choices(['fatal', 'exhausted']))
    .option('--at <partition:offset>', 'only this DLQ position (repeatable)', collect);
}

/** Reads through the kit, turning its failures into CliErrors. */
async function read(
  context: Context,
  groupId: string,
  filter: (letter: DeadLetter) => boolean,
  limit?: number,
) {
  await existingDeadLetterTopic(context, groupId);
  try {
    return await readDeadLetters({
      groupId,
      brokers: context.brokers,
      logger: context.logger,
      filter,
      ...(limit === undefined ? {} : { limit }),
    });
  } catch (error) {
    throw asCliError(error, 'reading the DLQ');
  }
}

async function list(context: Context, groupId: string, flags: SelectionFlags & { limit?: string }) {
  const selection = selectionOf(flags);
  const limit = flags.limit === undefined ? undefined : parseLimit(flags.limit);
  const letters = await read(context, groupId, selection.matches, limit);
  if (context.json) return context.io.out(json(letters.map(letterJson)));
  if (letters.length === 0) return context.io.out(`no DLQ records for group "${groupId}" match\n`);
  context.io.out(letterTable(letters));
  context.io.out(`${letters.length} record(s); inspect one with: chatctl dlq show ${groupId} <position>\n`);
}

async function show(context: Context, groupId: string, at: string) {
  const position = parsePosition(at);
  const [letter] = await read(
    context,
    groupId,
    (candidate) =>
      candidate.position.partition === position.partition && candidate.position.offset === position.offset,
  );
  if (!letter) throw new CliError('NOT_FOUND', `no DLQ record at ${at} for group "${groupId}"`);
  context.io.out(context.json ? json(letterJson(letter)) : letterDetail(letter));
}

async function replay(
  context: Context,
  groupId: string,
  flags: SelectionFlags & { limit?: string; dryRun?: boolean; all?: boolean },
) {
  const selection = selectionOf(flags);
  const limit = flags.limit === undefined ? undefined : parseLimit(flags.limit);
  if (!selection.narrowed && !flags.all)
    throw new CliError(
      'USAGE',
      'replay needs a filter (--since, --error-class, --topic, --reason, --at) or --all',
    );
  const topic = await existingDeadLetterTopic(context, groupId);
  const bar = progress(
    context.io,
    flags.dryRun ? 'scanning' : 'replaying',
    await recordCount(context, topic),
    !context.json,
  );
  let report;
  try {
    report = await replayDeadLetters({
      groupId,
      brokers: context.brokers,
      logger: context.logger,
      dryRun: flags.dryRun ?? false,
      filter: (letter) => {
        bar.tick();
        return selection.matches(letter);
      },
      ...(limit === undefined ? {} : { limit }),
    });
  } catch (error) {
    throw asCliError(error, 'replaying the DLQ');
  } finally {
    bar.done();
  }
  if (context.json) {
    return context.io.out(
      json({ dryRun: report.dryRun, scanned: report.scanned, replayed: report.replayed.map(letterJson) }),
    );
  }
  if (report.replayed.length > 0) context.io.out(letterTable(report.replayed));
  const targets = [...new Set(report.replayed.map((letter) => letter.context.originalTopic))].join(', ');
  const verb = report.dryRun ? 'would replay' : 'replayed';
  context.io.out(
    `${verb} ${report.replayed.length} of ${report.scanned} DLQ record(s)` +
      (targets ? ` onto ${targets}` : '') +
      (report.dryRun ? ' (dry run: nothing published)' : '') +
      '\n',
  );
  if (!report.dryRun && report.replayed.length > 0) {
    context.io.out(
      `each carries the header chat-replayed-from; the records stay in the DLQ (positions ${report.replayed
        .map(positionOf)
        .slice(0, 5)
        .join(', ')}${report.replayed.length > 5 ? ', …' : ''})\n`,
    );
  }
}

export function dlqCommand(program: Command, bind: Bind): void {
  const dlq = program.command('dlq').description("a consumer group's dead-letter queue (<group>.dlq)");
  selectionFlags(
    dlq
      .command('list')
      .description('list DLQ records, oldest first')
      .argument('<group>', 'consumer group')
      .option('--limit <n>', 'at most this many records'),
  ).action(bind(list));
  dlq
    .command('show')
    .description('everything one DLQ record holds: source, error, attempts, stack, headers, value')
    .argument('<group>', 'consumer group')
    .argument('<position>', 'partition:offset in the DLQ, as `dlq list` prints it')
    .action(bind(show));
  selectionFlags(
    dlq
      .command('replay')
      .description(
        'publish chosen DLQ records back onto their source topics (same key, value and idempotency key)',
      )
      .argument('<group>', 'consumer group')
      .option('--limit <n>', 'at most this many records')
      .option('--dry-run', 'only list what would be replayed')
      .option('--all', 'replay every record (required when no filter is given)'),
  ).action(bind(replay));
}
