import { describe, expect, it } from 'vitest';
import { mentions, mentionsIn } from './mentions.js';

describe('mentions', () => {
  it('find @handle anywhere, whatever the case, without the punctuation after it', () => {
    expect(mentions('hi @Ann.B, look', 'ann.b')).toBe(true);
    expect(mentions('@ann-x.', 'ann-x')).toBe(true);
    expect(mentionsIn('ping @bob and @carol!')).toEqual([
      { index: 5, length: 4, handle: 'bob' },
      { index: 14, length: 6, handle: 'carol' },
    ]);
  });

  it('do not count an address or a longer handle', () => {
    expect(mentions('mail ann@example.org', 'example.org')).toBe(false);
    expect(mentions('@annie', 'ann')).toBe(false);
    expect(mentions('no mention', 'ann')).toBe(false);
  });
});
