import { describe, expect, it } from 'vitest';
import { canInvite, canLeave, canModerate, canRename, type RoomAccess } from './permissions.js';

const group = (role: RoomAccess['role']): RoomAccess => ({ kind: 'group', status: 'active', role });

describe('room permissions on the page', () => {
  it('let owners and admins rename and invite, not plain members', () => {
    expect([canRename(group('owner')), canRename(group('admin')), canRename(group('member'))]).toEqual([
      true,
      true,
      false,
    ]);
    expect(canInvite(group('member'))).toBe(false);
  });

  it('let everyone but the owner leave', () => {
    expect(canLeave(group('owner'))).toBe(false);
    expect(canLeave(group('admin'))).toBe(true);
    expect(canLeave(group('member'))).toBe(true);
  });

  it('let owners moderate anyone else and admins plain members only', () => {
    const member = { userId: 'm', role: 'member' as const };
    const admin = { userId: 'a', role: 'admin' as const };
    expect(canModerate(group('owner'), 'o', admin)).toBe(true);
    expect(canModerate(group('admin'), 'a2', admin)).toBe(false);
    expect(canModerate(group('admin'), 'a2', member)).toBe(true);
    expect(canModerate(group('member'), 'x', member)).toBe(false);
    expect(canModerate(group('owner'), 'm', member)).toBe(false);
  });

  it('offer nothing in direct or archived rooms', () => {
    const direct: RoomAccess = { kind: 'direct', status: 'active', role: 'owner' };
    const archived: RoomAccess = { kind: 'group', status: 'archived', role: 'owner' };
    for (const room of [direct, archived]) {
      expect([canRename(room), canLeave(room), canInvite(room)]).toEqual([false, false, false]);
      expect(canModerate(room, 'o', { userId: 'm', role: 'member' })).toBe(false);
    }
  });
});
