import { describe, expect, it } from 'vitest';
import { messageIdOf, uuidV5 } from './message-id.js';

describe('message ids', () => {
  it('is RFC 4122 v5 (known vector) and deterministic per sender and clientMessageId', () => {
    // uuid v5 of "www.example.com" in the DNS namespace.
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
    expect(messageIdOf('alice', 'c1')).toBe(messageIdOf('alice', 'c1'));
    expect(messageIdOf('alice', 'c1')).not.toBe(messageIdOf('bob', 'c1'));
  });
});
