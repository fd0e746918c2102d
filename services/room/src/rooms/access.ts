import type { MemberRole } from '@chat/contracts';
import type { Member, RoomDoc } from '@chat/room-store';
import { RoomError } from '../errors.js';

export const memberOf = (room: RoomDoc, userId: string): Member | undefined =>
  room.members.find((member) => member.userId === userId);

/** Only members may see or touch a room. */
export function requireMember(room: RoomDoc, userId: string): Member {
  const member = memberOf(room, userId);
  if (!member) throw new RoomError('NOT_A_MEMBER', 'you are not a member of this room');
  return member;
}

/** An archived room is read-only. */
export function requireActive(room: RoomDoc): void {
  if (room.status !== 'active')
    throw new RoomError('ROOM_ARCHIVED', 'the room is archived and cannot be changed');
}

/** A direct room is between exactly its two people. */
export function requireGroup(room: RoomDoc): void {
  if (room.kind === 'direct')
    throw new RoomError('DIRECT_ROOM_FIXED', 'the members of a direct room cannot change');
}

export function requireRole(member: Member, roles: readonly MemberRole[], action: string): void {
  if (!roles.includes(member.role)) {
    throw new RoomError('FORBIDDEN', `only ${roles.map((role) => `${role}s`).join(' or ')} may ${action}`);
  }
}
