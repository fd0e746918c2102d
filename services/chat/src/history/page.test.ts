import { chatMessage as msg } from '@chat/testkit/events';
import { describe, expect, it } from 'vitest';
import { pageFromCache } from './page.js';

describe('history pages from the cache', () => {
  const cached = [msg(5), msg(8), msg(9), msg(11)];
  it('serves what the cache provably holds and defers the rest to the database', () => {
    expect(pageFromCache(cached, { after: 8, limit: 20 })?.messages.map((m) => m.position)).toEqual([9, 11]);
    expect(pageFromCache(cached, { after: 2, limit: 20 })).toBeUndefined();
    expect(pageFromCache(cached, { limit: 2 })).toEqual({ messages: [msg(9), msg(11)], hasMore: true });
    expect(pageFromCache(cached, { before: 9, limit: 5 })).toBeUndefined();
    expect(pageFromCache([], { limit: 5 })).toBeUndefined();
  });
});
