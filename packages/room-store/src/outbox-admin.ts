import type { Collection, Db } from 'mongodb';
import { LockBusyError, createMutex } from './mutex.js';
import { roomLockKey, type OutboxEntry, type RoomDoc } from './room-model.js';

/** The part of a room document an operator's outbox commands read and write. */
export type RoomOutbox = Pick<RoomDoc, '_id' | 'version' | 'outbox' | 'outboxDueAt'>;

export interface EntryFilter {
  roomId?: string;
  eventId?: string;
  type?: string;
}

export interface FoundEntry {
  roomId: string;
  entry: OutboxEntry;
}

export const roomOutboxes = (db: Db): Collection<RoomOutbox> => db.collection<RoomOutbox>('rooms');

const matches = (entry: OutboxEntry, status: OutboxEntry['status'], filter: EntryFilter) =>
  entry.status === status &&
  (filter.eventId === undefined || entry.eventId === filter.eventId) &&
  (filter.type === undefined || entry.type === filter.type);

/** Entries in one state across rooms, by room then seq (the order the dispatcher publishes them). */
export async function findEntries(
  rooms: Collection<RoomOutbox>,
  status: OutboxEntry['status'],
  filter: EntryFilter,
): Promise<FoundEntry[]> {
  const query = { 'outbox.status': status, ...(filter.roomId === undefined ? {} : { _id: filter.roomId }) };
  const found: FoundEntry[] = [];
  for await (const room of rooms.find(query, { projection: { outbox: 1 } }).sort({ _id: 1 })) {
    for (const entry of [...room.outbox].sort((a, b) => a.seq - b.seq)) {
      if (matches(entry, status, filter)) found.push({ roomId: room._id, entry });
    }
  }
  return found;
}

/**
 * Puts a room's matching dead entries back to pending with fresh attempts and
 * makes the room due now; the dispatcher then publishes them in seq order
 * with their original event ids, so consumers that already applied one skip it.
 * Runs under the room's lock, the one the room service takes, so a replay
 * never interleaves with the dispatcher's claim or settle (FerretDB updates
 * are not isolated). Throws a {@link LockBusyError} when the room stays
 * locked or changes under it: running it again is safe.
 */
export async function requeueDead(
  db: Db,
  rooms: Collection<RoomOutbox>,
  roomId: string,
  filter: EntryFilter,
): Promise<OutboxEntry[]> {
  const mutex = createMutex(db, {
    busyError: () => new LockBusyError(`room ${roomId} stayed locked; run the replay again`),
  });
  return mutex.withLock(roomLockKey(roomId), async () => {
    const room = await rooms.findOne({ _id: roomId });
    if (!room) return [];
    const now = new Date();
    const requeued: OutboxEntry[] = [];
    const outbox = room.outbox.map((entry) => {
      if (!matches(entry, 'dead', filter)) return entry;
      const revived: OutboxEntry = { ...entry, status: 'pending', attempts: 0, nextAttemptAt: now };
      requeued.push(revived);
      return revived;
    });
    if (requeued.length === 0) return [];
    const dueAt = room.outboxDueAt && room.outboxDueAt < now ? room.outboxDueAt : now;
    const result = await rooms.updateOne(
      { _id: roomId, version: room.version },
      { $set: { outbox, outboxDueAt: dueAt, updatedAt: now }, $inc: { version: 1 } },
    );
    if (result.matchedCount !== 1) {
      throw new LockBusyError(`room ${roomId} changed during the replay; run it again`);
    }
    return requeued;
  });
}
