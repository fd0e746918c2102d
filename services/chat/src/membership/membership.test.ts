import type { SendAccess } from '@chat/membership';
import { describe, expect, it } from 'vitest';
import { CachedMembership } from './membership.js';

describe('membership cache', () => {
  it('remembers yes briefly, never no, and forgets a changed room', async () => {
    let calls = 0;
    let access: SendAccess = 'allowed';
    let now = 0;
    const cache = new CachedMembership(
      {
        isMember: async () => (calls++, access !== 'not-member'),
        sendAccess: async () => (calls++, access),
        membersOf: async () => ['u'],
        mayModerate: async () => false,
      },
      1000,
      () => now,
    );
    expect(await cache.sendAccess('r', 'u')).toBe('allowed');
    expect(await cache.sendAccess('r', 'u')).toBe('allowed');
    expect(calls).toBe(1);
    access = 'blocked';
    cache.forget('r');
    expect(await cache.sendAccess('r', 'u')).toBe('blocked');
    expect(await cache.sendAccess('r', 'u')).toBe('blocked');
    expect(calls).toBe(3);
    now = 5000;
  });
});
