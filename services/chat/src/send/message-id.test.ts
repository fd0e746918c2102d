import { describe, expect, it } from 'vitest';
import { changeIdOf, messageIdOf, uuidV5 } from './message-id.js';

describe('message ids', () => {
  it('is RFC 4122 v5 (known vector) and deterministic per sender, room and clientMessageId', () => {
    // uuid v5 of "www.example.com" in the DNS namespace.
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
    expect(messageIdOf('alice', 'r1', 'c1')).toBe(messageIdOf('alice', 'r1', 'c1'));
    expect(messageIdOf('alice', 'r1', 'c1')).not.toBe(messageIdOf('bob', 'r1', 'c1'));
  });

  it('makes a clientMessageId used again in another room another message', () => {
    expect(messageIdOf('alice', 'r1', 'c1')).not.toBe(messageIdOf('alice', 'r2', 'c1'));
    // Ids may hold ':' but never a newline: no two splits of the same characters meet.
    expect(messageIdOf('alice', 'r:1', 'c')).not.toBe(messageIdOf('alice', 'r', '1:c'));
  });

  it('makes a clientRequestId used again for another message or the other kind another change', () => {
    const edit = { kind: 'edit', roomId: 'r1', messageId: 'm1', clientRequestId: 'q1' } as const;
    expect(changeIdOf('alice', edit)).toBe(changeIdOf('alice', { ...edit }));
    expect(changeIdOf('alice', edit)).not.toBe(changeIdOf('alice', { ...edit, messageId: 'm2' }));
    expect(changeIdOf('alice', edit)).not.toBe(changeIdOf('alice', { ...edit, roomId: 'r2' }));
    expect(changeIdOf('alice', edit)).not.toBe(changeIdOf('alice', { ...edit, kind: 'delete' }));
  });
});
