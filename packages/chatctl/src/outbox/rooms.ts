import { type Collection, type Db, MongoClient } from 'mongodb';
import { RoomError, createMutex, roomLockKey } from '@chat/room/outbox-admin';
import type { Context } from '../context.js';
import { CliError, asCliError } from '../errors.js';

/**
 * The room service keeps each room's outbox inside the room document
 * (collection `rooms`, field `outbox`; services/room/src/rooms/room-model.ts).
 * Only the fields chatctl reads or writes are named here.
 */
export interface OutboxEntry {
  eventId: string;
  seq: number;
  type: string;
  status: 'pending' | 'sent' | 'dead';
  attempts: number;
  nextAttemptAt: Date;
  createdAt: Date;
  sentAt?: Date;
  lastError?: string;
}

export interface RoomOutbox {
  _id: string;
  version: number;
  outbox: OutboxEntry[];
  outboxDueAt: Date | null;
}

export async function withRooms<T>(
  context: Context,
  work: (db: Db, rooms: Collection<RoomOutbox>) => Promise<T>,
): Promise<T> {
  const client = new MongoClient(context.mongoUrl, { serverSelectionTimeoutMS: 5_000 });
  try {
    await client.connect();
    const db = client.db();
    return await work(db, db.collection<RoomOutbox>('rooms'));
  } catch (error) {
    throw asCliError(error, 'MongoDB');
  } finally {
    await client.close();
  }
}

export interface EntryFilter {
  roomId?: string;
  eventId?: string;
  type?: string;
}

export interface FoundEntry {
  roomId: string;
  entry: OutboxEntry;
}

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
 * Runs `critical` holding the room's lock, the one the room service takes, so
 * a replay never interleaves with the dispatcher's claim or settle (FerretDB
 * updates are not isolated).
 */
async function withRoomLock<T>(db: Db, roomId: string, critical: () => Promise<T>): Promise<T> {
  try {
    return await createMutex(db).withLock(roomLockKey(roomId), critical);
  } catch (error) {
    if (error instanceof RoomError && error.code === 'CONFLICT') {
      throw new CliError('BUSY', `room ${roomId} stayed locked; run the replay again`);
    }
    throw error;
  }
}

/**
 * Puts a room's matching dead entries back to pending with fresh attempts and
 * makes the room due now; the dispatcher then publishes them in seq order
 * with their original event ids, so consumers that already applied one skip it.
 */
export async function requeueDead(
  db: Db,
  rooms: Collection<RoomOutbox>,
  roomId: string,
  filter: EntryFilter,
): Promise<OutboxEntry[]> {
  return withRoomLock(db, roomId, async () => {
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
    if (result.matchedCount !== 1)
      throw new CliError('BUSY', `room ${roomId} changed during the replay; run it again`);
    return requeued;
  });
}
