import type { RoomSummary, RoomView } from '@chat/contracts';
import { VISIBLE_STATUSES, type MembershipModel, type RoomDoc, type RoomModel } from '@chat/room-store';
import { RoomError } from '../errors.js';
import { requireMember } from './access.js';
import { roomSummary, roomView } from './representation.js';

export interface RoomQueries {
  /** ROOM_NOT_FOUND, or NOT_A_MEMBER for anyone outside the room. */
  getRoom(actor: string, roomId: string): Promise<RoomView>;
  /** The caller's rooms in creation order, `limit` at a time after the room id `after`. */
  listRooms(
    actor: string,
    page: { limit: number; after?: string },
  ): Promise<{ rooms: RoomSummary[]; next?: string }>;
}

export function roomQueries(rooms: RoomModel, memberships: MembershipModel): RoomQueries {
  return {
    async getRoom(actor, roomId) {
      const room = await rooms
        .findOne({ _id: roomId, status: { $in: VISIBLE_STATUSES } }, { outbox: 0 })
        .lean<RoomDoc>()
        .exec();
      if (!room) throw new RoomError('ROOM_NOT_FOUND', 'room not found');
      requireMember(room, actor);
      return roomView(room);
    },

    async listRooms(actor, { limit, after }) {
      const entries = await memberships
        .find(
          { userId: actor, status: 'active', ...(after ? { roomId: { $gt: after } } : {}) },
          { roomId: 1 },
        )
        .sort({ roomId: 1 })
        .limit(limit)
        .lean()
        .exec();
      const ids = entries.map((entry) => entry.roomId);
      const found = await rooms
        .find({ _id: { $in: ids }, status: { $in: VISIBLE_STATUSES } }, { outbox: 0 })
        .lean<RoomDoc[]>()
        .exec();
      const byId = new Map(found.map((room) => [room._id, room]));
      // The index may lag the room by a dispatcher tick: the room's own member list decides.
      const summaries = ids.flatMap((id) => {
        const room = byId.get(id);
        const summary = room && roomSummary(room, actor);
        return summary ? [summary] : [];
      });
      return { rooms: summaries, ...(ids.length === limit ? { next: ids[ids.length - 1] } : {}) };
    },
  };
}
