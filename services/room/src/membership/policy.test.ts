import type { MemberRole } from '@chat/contracts';
import { describe, expect, it } from 'vitest';
import type { Member, RoomDoc } from '@chat/room-store';
import { RoomError } from '../errors.js';
import { decideArchive, decideRename } from '../rooms/policy.js';
import { decideBlockSender, decideUnblockSender } from './blocking.js';
import { decideAddMember, decideLeave, decideRemoveMember } from './policy.js';

const now = new Date('2026-01-01T00:00:00Z');
const member = (userId: string, role: MemberRole): Member => ({
  userId,
  role,
  joinedAt: now,
  addedBy: 'owner',
});

function room(overrides: Partial<RoomDoc> = {}): RoomDoc {
  return {
    _id: 'room-1',
    kind: 'group',
    name: 'Room',
    status: 'active',
    createdBy: 'owner',
    sagaId: 'saga',
    members: [member('owner', 'owner'), member('admin', 'admin'), member('bob', 'member')],
    version: 3,
    eventSeq: 3,
    outbox: [],
    outboxDueAt: null,
    leaseOwner: null,
    leaseUntil: null,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

function refusal(decide: () => unknown): string {
  try {
    decide();
  } catch (error) {
    expect(error).toBeInstanceOf(RoomError);
    return (error as RoomError).code;
  }
  throw new Error('expected a refusal');
}

describe('membership decisions', () => {
  it('lets owners and admins add members, with the event that says so', () => {
    const change = decideAddMember(room(), 'admin', 'carol', 'member', now)!;
    expect(change.set.members?.map((m) => m.userId)).toEqual(['owner', 'admin', 'bob', 'carol']);
    expect(change.events).toEqual([
      { type: 'room.member.added', payload: { roomId: 'room-1', userId: 'carol', addedBy: 'admin' } },
    ]);
  });

  it('treats adding a member twice, or removing a non-member, as nothing to do', () => {
    expect(decideAddMember(room(), 'owner', 'bob', 'member', now)).toBeNull();
    expect(decideRemoveMember(room(), 'owner', 'nobody')).toBeNull();
  });

  it('refuses members, strangers, admins over owners, and changes to direct or archived rooms', () => {
    expect(refusal(() => decideRemoveMember(room(), 'bob', 'admin'))).toBe('FORBIDDEN');
    expect(refusal(() => decideRemoveMember(room(), 'stranger', 'bob'))).toBe('NOT_A_MEMBER');
    expect(refusal(() => decideRemoveMember(room(), 'admin', 'owner'))).toBe('FORBIDDEN');
    expect(refusal(() => decideAddMember(room(), 'admin', 'carol', 'admin', now))).toBe('FORBIDDEN');
    expect(refusal(() => decideAddMember(room({ kind: 'direct' }), 'owner', 'carol', 'member', now))).toBe(
      'DIRECT_ROOM_FIXED',
    );
    expect(
      refusal(() => decideAddMember(room({ status: 'archived' }), 'owner', 'carol', 'member', now)),
    ).toBe('ROOM_ARCHIVED');
  });

  it('lets anyone but the owner leave; removing yourself is leaving', () => {
    expect(decideLeave(room(), 'bob')!.events).toEqual([
      { type: 'room.member.removed', payload: { roomId: 'room-1', userId: 'bob', removedBy: 'bob' } },
    ]);
    expect(decideRemoveMember(room(), 'admin', 'admin')!.set.members?.map((m) => m.userId)).toEqual([
      'owner',
      'bob',
    ]);
    expect(refusal(() => decideLeave(room(), 'owner'))).toBe('OWNER_CANNOT_LEAVE');
  });
});

describe('blocking senders', () => {
  const blockedBob = () =>
    room({
      members: [
        member('owner', 'owner'),
        member('admin', 'admin'),
        { ...member('bob', 'member'), sendBlocked: { by: 'admin', at: now } },
      ],
    });

  it('lets owners block anyone else and admins block plain members, keeping them in the room', () => {
    const change = decideBlockSender(room(), 'admin', 'bob', now)!;
    expect(change.set.members?.map((m) => [m.userId, m.sendBlocked?.by])).toEqual([
      ['owner', undefined],
      ['admin', undefined],
      ['bob', 'admin'],
    ]);
    expect(change.events).toEqual([
      { type: 'room.sender.blocked', payload: { roomId: 'room-1', userId: 'bob', blockedBy: 'admin' } },
    ]);
    expect(decideBlockSender(room(), 'owner', 'admin', now)?.events[0]?.type).toBe('room.sender.blocked');
  });

  it('treats blocking twice, or unblocking someone not blocked, as nothing to do', () => {
    expect(decideBlockSender(blockedBob(), 'owner', 'bob', now)).toBeNull();
    expect(decideUnblockSender(room(), 'owner', 'bob')).toBeNull();
    const unblocked = decideUnblockSender(blockedBob(), 'admin', 'bob')!;
    expect(unblocked.set.members?.find((m) => m.userId === 'bob')).not.toHaveProperty('sendBlocked');
    expect(unblocked.events[0]?.type).toBe('room.sender.unblocked');
  });

  it('refuses members, admins over admins, oneself, strangers and archived or direct rooms', () => {
    expect(refusal(() => decideBlockSender(room(), 'bob', 'admin', now))).toBe('FORBIDDEN');
    expect(refusal(() => decideBlockSender(room(), 'admin', 'owner', now))).toBe('FORBIDDEN');
    expect(refusal(() => decideBlockSender(room(), 'owner', 'owner', now))).toBe('FORBIDDEN');
    expect(refusal(() => decideBlockSender(room(), 'owner', 'nobody', now))).toBe('MEMBER_NOT_FOUND');
    expect(refusal(() => decideUnblockSender(room(), 'stranger', 'bob'))).toBe('NOT_A_MEMBER');
    expect(refusal(() => decideBlockSender(room({ status: 'archived' }), 'owner', 'bob', now))).toBe(
      'ROOM_ARCHIVED',
    );
    expect(refusal(() => decideBlockSender(room({ kind: 'direct' }), 'owner', 'bob', now))).toBe(
      'DIRECT_ROOM_FIXED',
    );
  });
});

describe('room decisions', () => {
  it('renames for owners and admins only, and not to the same name', () => {
    expect(decideRename(room(), 'admin', 'New')!.events[0]).toEqual({
      type: 'room.renamed',
      payload: { roomId: 'room-1', name: 'New', renamedBy: 'admin' },
    });
    expect(decideRename(room(), 'owner', 'Room')).toBeNull();
    expect(refusal(() => decideRename(room(), 'bob', 'New'))).toBe('FORBIDDEN');
  });

  it('archives once, for the owner only', () => {
    expect(decideArchive(room(), 'owner', now)!.set).toEqual({ status: 'archived', archivedAt: now });
    expect(decideArchive(room({ status: 'archived' }), 'owner', now)).toBeNull();
    expect(refusal(() => decideArchive(room(), 'admin', now))).toBe('FORBIDDEN');
  });
});
