import type { RoomDoc } from '@chat/room-store';
import type { RoomChange } from './room-store.js';
import { requireActive, requireGroup, requireMember, requireRole } from './access.js';

export function decideRename(room: RoomDoc, actor: string, name: string): RoomChange | null {
  const member = requireMember(room, actor);
  requireActive(room);
  requireGroup(room);
  requireRole(member, ['owner', 'admin'], 'rename the room');
  if (room.name === name) return null;
  return {
    set: { name },
    events: [{ type: 'room.renamed', payload: { roomId: room._id, name, renamedBy: actor } }],
  };
}

/** Archiving is final and idempotent: the room stays readable, nothing in it can change. */
export function decideArchive(room: RoomDoc, actor: string, now: Date): RoomChange | null {
  const member = requireMember(room, actor);
  if (room.status === 'archived') return null;
  requireRole(member, ['owner'], 'archive the room');
  return {
    set: { status: 'archived', archivedAt: now },
    events: [{ type: 'room.archived', payload: { roomId: room._id, archivedBy: actor } }],
  };
}
