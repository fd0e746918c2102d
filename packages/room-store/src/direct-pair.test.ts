import { describe, expect, it } from 'vitest';
import { directPairKey, directRoomId } from './direct-pair.js';

describe('the direct room of a pair', () => {
  it('is the same from either side and different for every other pair', () => {
    expect(directPairKey('alice', 'bob')).toBe(directPairKey('bob', 'alice'));
    expect(directRoomId(directPairKey('alice', 'bob'))).toMatch(/^[0-9a-f]{24}$/);
    expect(directRoomId(directPairKey('alice', 'bob'))).not.toBe(
      directRoomId(directPairKey('alice', 'carol')),
    );
  });
});
