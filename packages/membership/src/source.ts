import type { Connection } from 'mongoose';
import { VISIBLE_STATUSES, membershipModel, roomModel, type RoomDoc } from '@chat/room-store';

/** A room's membership as MongoDB has it: the truth the Redis view is rebuilt from. */
export interface RoomSnapshot {
  roomId: string;
  /** The room document's version: a view never replaces newer data with older. */
  version: number;
  status: 'active' | 'archived';
  memberIds: string[];
  /** Members an owner or admin blocked from sending. */
  blockedSenderIds: string[];
  /** Owners and admins. */
  moderatorIds: string[];
}

export interface MembershipSource {
  /** Null for a room that does not exist or is still being created. */
  loadRoom(roomId: string): Promise<RoomSnapshot | null>;
  loadRoomsOf(userId: string): Promise<string[]>;
}

/** Reads the room service's collections (read-only) through the caller's mongoose connection. */
export function mongoMembershipSource(connection: Connection): MembershipSource {
  const rooms = roomModel(connection);
  const memberships = membershipModel(connection);
  return {
    async loadRoom(roomId) {
      const room = await rooms
        .findOne({ _id: roomId, status: { $in: VISIBLE_STATUSES } }, { version: 1, status: 1, members: 1 })
        .lean<Pick<RoomDoc, '_id' | 'version' | 'status' | 'members'>>()
        .exec();
      if (!room) return null;
      return {
        roomId,
        version: room.version,
        status: room.status as RoomSnapshot['status'],
        memberIds: room.members.map((member) => member.userId),
        blockedSenderIds: room.members.filter((member) => member.sendBlocked).map((member) => member.userId),
        moderatorIds: room.members
          .filter((member) => member.role !== 'member')
          .map((member) => member.userId),
      };
    },
    async loadRoomsOf(userId) {
      const entries = await memberships.find({ userId, status: 'active' }, { roomId: 1 }).lean().exec();
      return entries.map((entry) => entry.roomId);
    },
  };
}
