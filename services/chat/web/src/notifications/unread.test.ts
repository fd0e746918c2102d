import type { ChatMessage } from '@chat/contracts';
import { describe, expect, it } from 'vitest';
import { UNREAD_CAP, badgeText, tabTitle, unreadBadge } from './unread.js';

const message = (position: number, senderId: string, text = 'hi'): ChatMessage => ({
  messageId: `m${position}`,
  roomId: 'r',
  senderId,
  clientMessageId: `c${position}`,
  text,
  sentAt: '2026-01-01T00:00:00.000Z',
  position,
});

describe('unread badges', () => {
  const loaded = [message(4, 'bob'), message(5, 'me'), message(7, 'bob', '@me look'), message(9, 'carol')];

  it('count loaded messages from others after the last read one, mentions apart', () => {
    expect(unreadBadge({ messages: loaded, hasOlder: true, lastRead: 4 }, 'me', 'me')).toEqual({
      count: 2,
      mentions: 1,
      atLeast: false,
    });
    expect(unreadBadge({ messages: loaded, hasOlder: false, lastRead: -1 }, 'me', 'me').count).toBe(3);
  });

  it('take the gateway count when the loaded page does not reach the watermark', () => {
    const server = { readPosition: 1, unread: 40, mentions: 2, atLeast: false };
    expect(unreadBadge({ messages: loaded, hasOlder: true, lastRead: 1, server }, 'me', 'me')).toEqual({
      count: 40,
      mentions: 2,
      atLeast: false,
    });
    // Without an answer the page knows only a lower bound.
    expect(unreadBadge({ messages: loaded, hasOlder: true, lastRead: 1 }, 'me', 'me')).toMatchObject({
      count: 3,
      atLeast: true,
    });
  });

  it('ignore a gateway watermark older than what this page has marked read', () => {
    const server = { readPosition: 0, unread: 40, mentions: 0, atLeast: true };
    expect(unreadBadge({ messages: loaded, hasOlder: true, lastRead: 4, server }, 'me', 'me').count).toBe(2);
  });

  it('cap at 99+ and put the total in the tab title', () => {
    const many = Array.from({ length: 120 }, (_, i) => message(i, 'bob'));
    const capped = unreadBadge({ messages: many, hasOlder: false, lastRead: -1 }, 'me', undefined);
    expect(badgeText(capped)).toBe(`${UNREAD_CAP}+`);
    expect(tabTitle([])).toBe('Chat');
    expect(
      tabTitle([
        { count: 2, mentions: 0, atLeast: false },
        { count: 1, mentions: 1, atLeast: false },
      ]),
    ).toBe('(3) Chat');
    expect(tabTitle([capped, capped])).toBe('(99+) Chat');
  });
});
