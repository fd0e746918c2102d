import { describe, expect, it } from 'vitest';
import { chatMessage } from '@chat/testkit/events';
import { changeRefusal, type ChangeFacts } from './permission.js';

const mine = { ...chatMessage(5), senderId: 'alice' };
const facts = (overrides: Partial<ChangeFacts>): ChangeFacts => ({
  kind: 'edit',
  userId: 'alice',
  message: mine,
  access: 'allowed',
  moderator: async () => false,
  ...overrides,
});

describe('who may change a message', () => {
  it('lets the sender edit and delete their own message', async () => {
    expect(await changeRefusal(facts({}))).toBeUndefined();
    expect(await changeRefusal(facts({ kind: 'delete' }))).toBeUndefined();
  });

  it('lets an owner or admin delete, never edit, anyone else’s', async () => {
    const moderator = async () => true;
    expect(await changeRefusal(facts({ userId: 'bob', kind: 'delete', moderator }))).toBeUndefined();
    expect(await changeRefusal(facts({ userId: 'bob', moderator }))).toBe('NOT_ALLOWED');
    expect(await changeRefusal(facts({ userId: 'bob', kind: 'delete' }))).toBe('NOT_ALLOWED');
  });

  it('refuses strangers, archived rooms, unknown or deleted messages, and edits by a blocked sender', async () => {
    expect(await changeRefusal(facts({ access: 'not-member' }))).toBe('NOT_A_MEMBER');
    expect(await changeRefusal(facts({ access: 'read-only', kind: 'delete' }))).toBe('READ_ONLY');
    expect(await changeRefusal(facts({ message: undefined }))).toBe('UNKNOWN_MESSAGE');
    expect(await changeRefusal(facts({ message: { ...mine, deleted: true, text: '' } }))).toBe(
      'UNKNOWN_MESSAGE',
    );
    expect(await changeRefusal(facts({ access: 'blocked' }))).toBe('SENDER_BLOCKED');
    expect(await changeRefusal(facts({ access: 'blocked', kind: 'delete' }))).toBeUndefined();
  });
});
