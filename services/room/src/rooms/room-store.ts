import { createEvent, type EventType, type PayloadOf } from '@chat/contracts';
import {
  VISIBLE_STATUSES,
  roomLockKey,
  type Mutex,
  type OutboxEntry,
  type RoomDoc,
  type RoomModel,
} from '@chat/room-store';
import { RoomError } from '../errors.js';
import { newOutboxEntries, unsentCount } from '../outbox/entries.js';
import { currentTraceparent } from '../outbox/trace.js';

export type RoomEventType = Extract<EventType, `room.${string}`>;

/** An event a decision wants published, before it gets its envelope. */
export type NewRoomEvent = { [T in RoomEventType]: { type: T; payload: PayloadOf<T> } }[RoomEventType];

/** What a decision changes in a room, and the events that describe the change. */
export interface RoomChange {
  set: Partial<Pick<RoomDoc, 'name' | 'status' | 'members' | 'archivedAt'>>;
  events: NewRoomEvent[];
}

/** Decides on the room as it is now: a change, null for "nothing to do", or a thrown RoomError. */
export type Decision = (room: RoomDoc) => RoomChange | null;

export interface ChangeResult {
  room: RoomDoc;
  /** The outbox entries the change wrote (none when there was nothing to do). */
  entries: OutboxEntry[];
}

export class RoomStore {
  constructor(
    private readonly rooms: RoomModel,
    private readonly mutex: Mutex,
    private readonly options: { maxRoomBacklog: number },
  ) {}

  /** A room anyone could know of (not one still being created by its saga). */
  async find(roomId: string): Promise<RoomDoc | null> {
    return this.rooms
      .findOne({ _id: roomId, status: { $in: VISIBLE_STATUSES } })
      .lean<RoomDoc>()
      .exec();
  }

  /**
   * Reads the room, lets `decide` choose, and writes the change together with
   * its events in one update of the room document, so the change and its
   * outbox entries exist together or not at all. The room's lock keeps
   * every other writer out between the read and the write; the `version`
   * condition says the same to a server with atomic updates.
   */
  async change(roomId: string, correlationId: string, decide: Decision): Promise<ChangeResult> {
    return this.mutex.withLock(roomLockKey(roomId), async () => {
      const room = await this.find(roomId);
      if (!room) throw new RoomError('ROOM_NOT_FOUND', 'room not found');
      const change = decide(room);
      if (!change) return { room, entries: [] };
      if (unsentCount(room.outbox) + change.events.length > this.options.maxRoomBacklog) {
        throw new RoomError(
          'OUTBOX_BACKLOG',
          'this room has too many unpublished changes; try again shortly',
        );
      }
      const now = new Date();
      const events = change.events.map((event) =>
        createEvent(event.type as RoomEventType, event.payload as never, { correlationId, occurredAt: now }),
      );
      const entries = newOutboxEntries(events, room.eventSeq + 1, now, currentTraceparent());
      const result = await this.rooms.updateOne(
        { _id: roomId, version: room.version },
        {
          $set: { ...change.set, updatedAt: now, outboxDueAt: now },
          $inc: { version: 1, eventSeq: entries.length },
          $push: { outbox: { $each: entries } },
        },
      );
      if (result.matchedCount !== 1)
        throw new RoomError('CONFLICT', 'the room changed concurrently; try again');
      return {
        room: {
          ...room,
          ...change.set,
          updatedAt: now,
          version: room.version + 1,
          eventSeq: room.eventSeq + entries.length,
          outbox: [...room.outbox, ...entries],
        },
        entries,
      };
    });
  }
}
