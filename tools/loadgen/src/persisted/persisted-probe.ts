import { MAX_RESUME_ROOMS } from '@chat/contracts';
import { chatModels, nativeCollection, type StoredMessage } from '@chat/message-store';
import mongoose from 'mongoose';

/** What the database holds of a run's rooms. */
export interface StoredState {
  /** messageId → `persistedAt` (epoch ms). */
  persistedAt: Map<string, number>;
  /** Documents beyond the first for one (sender, clientMessageId). */
  extraDocuments: number;
  /** messageId → its stored text and whether it is a tombstone. */
  states: Map<string, { text: string; deleted: boolean }>;
}

/**
 * Reads what the persistence worker stored for the run's rooms, in one query
 * per chunk of rooms. Not by `_id` batches: FerretDB v1 (SQLite) does not push
 * `_id: {$in}` down and scans the collection per batch (measured: 6.9 s for
 * 500 ids among 10,000 documents, against 2.5 s for all rooms at once); on
 * MongoDB the (roomId, position) index serves this query.
 */
export class PersistedProbe {
  private constructor(
    private readonly connection: mongoose.Connection,
    private readonly messages: ReturnType<typeof nativeCollection<StoredMessage>>,
  ) {}

  static async open(mongoUrl: string): Promise<PersistedProbe> {
    const connection = await mongoose.createConnection(mongoUrl).asPromise();
    return new PersistedProbe(connection, nativeCollection(chatModels(connection).Message));
  }

  async stored(roomIds: readonly string[]): Promise<StoredState> {
    const persistedAt = new Map<string, number>();
    const sends = new Set<string>();
    const states = new Map<string, { text: string; deleted: boolean }>();
    let documents = 0;
    for (let start = 0; start < roomIds.length; start += MAX_RESUME_ROOMS) {
      const found = await this.messages
        .find(
          { roomId: { $in: roomIds.slice(start, start + MAX_RESUME_ROOMS) } },
          { projection: { persistedAt: 1, senderId: 1, clientMessageId: 1, text: 1, deleted: 1 } },
        )
        .toArray();
      for (const { _id, persistedAt: at, senderId, clientMessageId, text, deleted } of found) {
        persistedAt.set(_id, new Date(at).getTime());
        states.set(_id, { text, deleted: deleted ?? false });
        sends.add(`${senderId}\u0000${clientMessageId}`);
      }
      documents += found.length;
    }
    return { persistedAt, extraDocuments: documents - sends.size, states };
  }

  close(): Promise<void> {
    return this.connection.close();
  }
}
