import type { Member, RoomDoc } from '@chat/room-store';
import { RoomError } from '../errors.js';
import { memberOf, requireActive, requireGroup, requireMember, requireRole } from '../rooms/access.js';
import type { RoomChange } from '../rooms/room-store.js';

/**
 * Who may block whom from sending follows who may remove whom: owners block
 * anyone but themselves, admins block plain members only. The target stays a
 * member and keeps reading the room.
 */
function moderatedMember(room: RoomDoc, actor: string, userId: string, action: string): Member {
  const member = requireMember(room, actor);
  requireActive(room);
  requireGroup(room);
  requireRole(member, ['owner', 'admin'], action);
  if (userId === actor) throw new RoomError('FORBIDDEN', `you cannot ${action} yourself`);
  const target = memberOf(room, userId);
  if (!target) throw new RoomError('MEMBER_NOT_FOUND', 'that user is not a member of this room');
  if (target.role !== 'member') requireRole(member, ['owner'], `${action} ${target.role}s`);
  return target;
}

const withMember = (room: RoomDoc, userId: string, change: (member: Member) => Member): Member[] =>
  room.members.map((member) => (member.userId === userId ? change(member) : member));

/** Blocking a member who is already blocked changes nothing, so a retried request is harmless. */
export function decideBlockSender(
  room: RoomDoc,
  actor: string,
  userId: string,
  now: Date,
): RoomChange | null {
  const target = moderatedMember(room, actor, userId, 'block');
  if (target.sendBlocked) return null;
  return {
    set: {
      members: withMember(room, userId, (member) => ({ ...member, sendBlocked: { by: actor, at: now } })),
    },
    events: [{ type: 'room.sender.blocked', payload: { roomId: room._id, userId, blockedBy: actor } }],
  };
}

export function decideUnblockSender(room: RoomDoc, actor: string, userId: string): RoomChange | null {
  const target = moderatedMember(room, actor, userId, 'unblock');
  if (!target.sendBlocked) return null;
  return {
    set: {
      members: withMember(room, userId, ({ sendBlocked: _cleared, ...member }) => member),
    },
    events: [{ type: 'room.sender.unblocked', payload: { roomId: room._id, userId, unblockedBy: actor } }],
  };
}
