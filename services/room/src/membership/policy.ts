import { MAX_ROOM_MEMBERS, type MemberRole } from '@chat/contracts';
import type { RoomDoc } from '@chat/room-store';
import { RoomError } from '../errors.js';
import { memberOf, requireActive, requireGroup, requireMember, requireRole } from '../rooms/access.js';
import type { RoomChange } from '../rooms/room-store.js';

/**
 * Owners and admins add people; only an owner makes someone an admin.
 * Adding someone already in the room changes nothing, so a retried request is harmless.
 */
export function decideAddMember(
  room: RoomDoc,
  actor: string,
  userId: string,
  role: Exclude<MemberRole, 'owner'>,
  now: Date,
): RoomChange | null {
  const member = requireMember(room, actor);
  requireActive(room);
  requireGroup(room);
  requireRole(member, ['owner', 'admin'], 'add members');
  if (role === 'admin') requireRole(member, ['owner'], 'add admins');
  if (memberOf(room, userId)) return null;
  if (room.members.length >= MAX_ROOM_MEMBERS) {
    throw new RoomError('ROOM_FULL', `a room holds at most ${MAX_ROOM_MEMBERS} members`);
  }
  return {
    set: { members: [...room.members, { userId, role, joinedAt: now, addedBy: actor }] },
    events: [{ type: 'room.member.added', payload: { roomId: room._id, userId, addedBy: actor } }],
  };
}

/**
 * Owners remove anyone but themselves; admins remove plain members only.
 * Removing someone who is not (or no longer) in the room changes nothing.
 */
export function decideRemoveMember(room: RoomDoc, actor: string, userId: string): RoomChange | null {
  if (userId === actor) return decideLeave(room, actor);
  const member = requireMember(room, actor);
  requireActive(room);
  requireGroup(room);
  requireRole(member, ['owner', 'admin'], 'remove members');
  const target = memberOf(room, userId);
  if (!target) return null;
  if (target.role !== 'member') requireRole(member, ['owner'], `remove ${target.role}s`);
  return removal(room, userId, actor);
}

/** Anyone but the owner may leave; the owner archives the room instead. */
export function decideLeave(room: RoomDoc, actor: string): RoomChange | null {
  const member = requireMember(room, actor);
  requireActive(room);
  requireGroup(room);
  if (member.role === 'owner') {
    throw new RoomError('OWNER_CANNOT_LEAVE', 'the owner cannot leave the room; archive it instead');
  }
  return removal(room, actor, actor);
}

function removal(room: RoomDoc, userId: string, actor: string): RoomChange {
  return {
    set: { members: room.members.filter((member) => member.userId !== userId) },
    events: [{ type: 'room.member.removed', payload: { roomId: room._id, userId, removedBy: actor } }],
  };
}
