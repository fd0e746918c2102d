import { UNREAD_COUNT_CAP, type ChatMessage } from '@chat/contracts';
import { describe, expect, it } from 'vitest';
import { countUnread } from './count.js';

const message = (position: number, senderId: string, text = 'hi'): ChatMessage => ({
  messageId: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
  roomId: 'r',
  senderId,
  clientMessageId: `c${position}`,
  text,
  sentAt: '2026-01-01T00:00:00.000Z',
  position,
});

describe('unread counts from the recent cache', () => {
  it('count messages from others above the watermark, mentions apart', () => {
    const cached = [message(3, 'bob'), message(5, 'me'), message(8, 'bob', 'hey @me.'), message(9, 'carol')];
    expect(countUnread(cached, 3, 'me', 'me')).toEqual({ unread: 2, mentions: 1, atLeast: false });
    expect(countUnread(cached, 9, 'me', 'me')).toEqual({ unread: 0, mentions: 0, atLeast: false });
  });

  it('are a lower bound when the watermark lies before the cache', () => {
    const cached = [message(10, 'bob'), message(11, 'bob')];
    expect(countUnread(cached, 4, 'me', undefined)).toEqual({ unread: 2, mentions: 0, atLeast: true });
    expect(countUnread(cached, -1, 'me', undefined).atLeast).toBe(true);
  });

  it('stop at the cap', () => {
    const cached = Array.from({ length: UNREAD_COUNT_CAP + 5 }, (_, index) => message(index, 'bob'));
    expect(countUnread(cached, 0, 'me', undefined)).toEqual({
      unread: UNREAD_COUNT_CAP,
      mentions: 0,
      atLeast: true,
    });
  });

  it('count nothing from an empty cache', () => {
    expect(countUnread([], -1, 'me', 'me')).toEqual({ unread: 0, mentions: 0, atLeast: false });
  });
});
