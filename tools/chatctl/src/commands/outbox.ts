import type { Command } from 'commander';
import type { Context } from '../context.js';
import { CliError } from '../errors.js';
import { parseLimit } from '../filters.js';
import { clip, json, table } from '../io.js';
import {
  type EntryFilter,
  type FoundEntry,
  type OutboxEntry,
  findEntries,
  requeueDead,
  withRooms,
} from '../outbox/rooms.js';
import { progress } from '../progress.js';
import type { Bind } from '../bind.js';

interface FilterFlags {
  room?: string;
  eventId?: string;
  type?: string;
  limit?: string;
}

const filterOf = (flags: FilterFlags): EntryFilter => ({
  ...(flags.room === undefined ? {} : { roomId: flags.room }),
  ...(flags.eventId === undefined ? {} : { eventId: flags.eventId }),
  ...(flags.type === undefined ? {} : { type: flags.type }),
});

const entryJson = ({ roomId, entry }: FoundEntry) => ({ roomId, ...entry });

function entryTable(found: readonly FoundEntry[]): string {
  return table(
    ['room', 'seq', 'event id', 'type', 'status', 'attempts', 'next attempt', 'created', 'last error'],
    found.map(({ roomId, entry }) => [
      roomId,
      entry.seq,
      entry.eventId,
      entry.type,
      entry.status,
      entry.attempts,
      entry.status === 'pending' ? entry.nextAttemptAt.toISOString() : '',
      entry.createdAt.toISOString(),
      entry.lastError ? clip(entry.lastError, 50) : '',
    ]),
  );
}

function listing(status: OutboxEntry['status']) {
  return async (context: Context, flags: FilterFlags) => {
    const limit = flags.limit === undefined ? undefined : parseLimit(flags.limit);
    const found = await withRooms(context, (_db, rooms) => findEntries(rooms, status, filterOf(flags)));
    const shown = limit === undefined ? found : found.slice(0, limit);
    if (context.json) return context.io.out(json(shown.map(entryJson)));
    if (found.length === 0) return context.io.out(`no ${status} outbox events\n`);
    context.io.out(entryTable(shown));
    const rooms = new Set(found.map(({ roomId }) => roomId)).size;
    context.io.out(
      `${found.length} ${status} event(s) in ${rooms} room(s)${shown.length < found.length ? `, ${shown.length} shown` : ''}\n`,
    );
  };
}

async function replay(context: Context, flags: FilterFlags & { dryRun?: boolean; all?: boolean }) {
  const filter = filterOf(flags);
  if (Object.keys(filter).length === 0 && !flags.all)
    throw new CliError('USAGE', 'replay needs --room, --event-id or --type, or --all');
  const limit = flags.limit === undefined ? undefined : parseLimit(flags.limit);
  const requeued = await withRooms(context, async (db, rooms) => {
    const dead = await findEntries(rooms, 'dead', filter);
    const chosen = limit === undefined ? dead : dead.slice(0, limit);
    if (flags.dryRun) return chosen;
    const done: FoundEntry[] = [];
    const roomIds = [...new Set(chosen.map(({ roomId }) => roomId))];
    const bar = progress(context.io, 'requeueing rooms', roomIds.length, !context.json);
    try {
      for (const roomId of roomIds) {
        const eventIds = new Set(
          chosen.filter((found) => found.roomId === roomId).map(({ entry }) => entry.eventId),
        );
        const entries = await requeueDead(db, rooms, roomId, filter);
        done.push(
          ...entries.filter((entry) => eventIds.has(entry.eventId)).map((entry) => ({ roomId, entry })),
        );
        bar.tick();
      }
    } finally {
      bar.done();
    }
    return done;
  });
  if (context.json)
    return context.io.out(json({ dryRun: flags.dryRun ?? false, requeued: requeued.map(entryJson) }));
  if (requeued.length > 0) context.io.out(entryTable(requeued));
  context.io.out(
    flags.dryRun
      ? `would requeue ${requeued.length} dead event(s) (dry run: nothing changed)\n`
      : `requeued ${requeued.length} dead event(s); the dispatcher publishes them in seq order (watch room_outbox_pending)\n`,
  );
}

const filterFlags = (command: Command) =>
  command
    .option('--room <roomId>', 'only this room')
    .option('--event-id <eventId>', 'only this event')
    .option('--type <type>', 'only this event type (e.g. room.member.added)')
    .option('--limit <n>', 'at most this many events');

export function outboxCommand(program: Command, bind: Bind): void {
  const outbox = program
    .command('outbox')
    .description("the room service's outbox (room events kept in each room document)");
  filterFlags(outbox.command('pending').description('events written but not yet published')).action(
    bind(listing('pending')),
  );
  filterFlags(outbox.command('dead').description('events parked after their last publish attempt')).action(
    bind(listing('dead')),
  );
  filterFlags(
    outbox
      .command('replay')
      .description('put dead events back to pending so the dispatcher publishes them again')
      .option('--dry-run', 'only list what would be requeued')
      .option('--all', 'every dead event (required when no filter is given)'),
  ).action(bind(replay));
}
