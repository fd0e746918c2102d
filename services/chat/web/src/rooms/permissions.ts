import type { MemberRole, RoomKind } from '@chat/contracts';

/**
 * What the page offers to whom, mirroring the room service's policy
 * (services/room: rooms/policy.ts, membership/policy.ts, membership/blocking.ts).
 * The service decides; this only hides buttons that would be refused.
 * Direct rooms are fixed: nobody renames, leaves or moderates them.
 */
export interface RoomAccess {
  kind: RoomKind;
  status: string;
  role: MemberRole | undefined;
}

const managed = (room: RoomAccess): boolean => room.kind === 'group' && room.status === 'active';
const moderator = (role: MemberRole | undefined): boolean => role === 'owner' || role === 'admin';

export function canRename(room: RoomAccess): boolean {
  return managed(room) && moderator(room.role);
}

/** The owner cannot leave (the service answers OWNER_CANNOT_LEAVE): they archive instead. */
export function canLeave(room: RoomAccess): boolean {
  return managed(room) && room.role !== undefined && room.role !== 'owner';
}

/** Remove and block follow the same rule: owners act on anyone else, admins on plain members only. */
export function canModerate(
  room: RoomAccess,
  me: string,
  target: { userId: string; role: MemberRole },
): boolean {
  if (!managed(room) || !moderator(room.role) || target.userId === me) return false;
  return target.role === 'member' || room.role === 'owner';
}

export function canInvite(room: RoomAccess): boolean {
  return managed(room) && moderator(room.role);
}
