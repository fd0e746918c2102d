import { describe, expect, it } from 'vitest';
import { FeedSequence } from './feed-sequence.js';

describe('feed sequence', () => {
  it('takes records above the opening point and drops replays', () => {
    const feed = new FeedSequence();
    feed.open('r', 10);
    expect(feed.step('r', 8, -1)).toBe('old');
    expect(feed.step('r', 10, 4)).toBe('next');
    expect(feed.step('r', 15, 10)).toBe('next');
    expect(feed.step('r', 15, 10)).toBe('old');
    expect(feed.step('r', 12, 10)).toBe('old');
  });

  it('trusts a record whose owner cannot name its predecessor', () => {
    const feed = new FeedSequence();
    feed.open('r', 10);
    expect(feed.step('r', 30, -1)).toBe('next');
  });

  it('sees a record lost between two it received', () => {
    const feed = new FeedSequence();
    feed.open('r', 10);
    expect(feed.step('r', 11, 9)).toBe('next');
    expect(feed.step('r', 20, 14)).toBe('gap');
    expect(feed.step('r', 25, 20)).toBe('next');
  });

  it('ignores rooms it was not opened for', () => {
    const feed = new FeedSequence();
    expect(feed.step('x', 5, 1)).toBe('old');
    feed.open('x', 0);
    feed.close('x');
    expect(feed.isOpen('x')).toBe(false);
  });
});
