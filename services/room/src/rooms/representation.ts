import type { RoomSummary, RoomView } from '@chat/contracts';
import type { RoomDoc } from '@chat/room-store';
import { memberOf } from './access.js';

const iso = (date: Date | string): string => new Date(date).toISOString();

export function roomView(room: RoomDoc): RoomView {
  return {
    roomId: room._id,
    kind: room.kind,
    name: room.name,
    status: room.status,
    createdBy: room.createdBy,
    members: room.members.map((member) => ({
      userId: member.userId,
      role: member.role,
      joinedAt: iso(member.joinedAt),
      sendBlocked: member.sendBlocked !== undefined && member.sendBlocked !== null,
    })),
    version: room.version,
    createdAt: iso(room.createdAt),
    updatedAt: iso(room.updatedAt),
    ...(room.archivedAt ? { archivedAt: iso(room.archivedAt) } : {}),
  };
}

export function roomSummary(room: RoomDoc, userId: string): RoomSummary | undefined {
  const member = memberOf(room, userId);
  if (!member) return undefined;
  return {
    roomId: room._id,
    kind: room.kind,
    name: room.name,
    status: room.status,
    memberCount: room.members.length,
    role: member.role,
    updatedAt: iso(room.updatedAt),
  };
}
