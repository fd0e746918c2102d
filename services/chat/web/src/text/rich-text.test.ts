import { describe, expect, it } from 'vitest';
import { richText } from './rich-text.js';

describe('message text on the page', () => {
  it('turns http and https addresses into links, without the punctuation after them', () => {
    expect(richText('see https://example.org/a?b=1. and http://x.test)', undefined)).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.org/a?b=1', href: 'https://example.org/a?b=1' },
      { kind: 'text', text: '. and ' },
      { kind: 'link', text: 'http://x.test', href: 'http://x.test/' },
      { kind: 'text', text: ')' },
    ]);
  });

  it('never links other schemes and keeps markup as text', () => {
    const text = 'javascript:alert(1) <img src=x onerror=alert(1)> data:text/html,hi ftp://x.org';
    expect(richText(text, undefined)).toEqual([{ kind: 'text', text }]);
  });

  it('marks mentions, ours apart', () => {
    expect(richText('hi @Ann and @bob', 'ann')).toEqual([
      { kind: 'text', text: 'hi ' },
      { kind: 'mention', text: '@Ann', me: true },
      { kind: 'text', text: ' and ' },
      { kind: 'mention', text: '@bob', me: false },
    ]);
  });
});
