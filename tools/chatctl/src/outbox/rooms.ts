import { MongoClient, type Collection, type Db } from 'mongodb';
import {
  LockBusyError,
  requeueDead as requeueDeadEntries,
  roomOutboxes,
  type EntryFilter,
  type OutboxEntry,
  type RoomOutbox,
} from '@chat/room-store';
import type { Context } from '../context.js';
import { CliError, asCliError } from '../errors.js';

export {
  findEntries,
  type EntryFilter,
  type FoundEntry,
  type OutboxEntry,
  type RoomOutbox,
} from '@chat/room-store';

export async function withRooms<T>(
  context: Context,
  work: (db: Db, rooms: Collection<RoomOutbox>) => Promise<T>,
): Promise<T> {
  const client = new MongoClient(context.mongoUrl, { serverSelectionTimeoutMS: 5_000 });
  try {
    await client.connect();
    const db = client.db();
    return await work(db, roomOutboxes(db));
  } catch (error) {
    throw asCliError(error, 'MongoDB');
  } finally {
    await client.close();
  }
}

/** The room service's requeue; a busy or changing room becomes the CLI's BUSY, which says to run it again. */
export async function requeueDead(
  db: Db,
  rooms: Collection<RoomOutbox>,
  roomId: string,
  filter: EntryFilter,
): Promise<OutboxEntry[]> {
  try {
    return await requeueDeadEntries(db, rooms, roomId, filter);
  } catch (error) {
    if (error instanceof LockBusyError) throw new CliError('BUSY', error.message);
    throw error;
  }
}
