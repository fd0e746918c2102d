import type { ChatMessage } from '@chat/contracts';
import { describe, expect, it } from 'vitest';
import { Arrivals } from './arrivals.js';

const message = (position: number, senderId: string): ChatMessage => ({
  messageId: `m${position}`,
  roomId: 'r',
  senderId,
  clientMessageId: `c${position}`,
  text: 'hi',
  sentAt: '2026-01-01T00:00:00.000Z',
  position,
});

describe('arrivals for notifications', () => {
  it('say nothing on first sight, then the newest new message from others per room', () => {
    const arrivals = new Arrivals();
    expect(arrivals.take([{ roomId: 'r', messages: [message(1, 'bob')], loaded: true }], 'me')).toEqual([]);
    const later = [message(1, 'bob'), message(2, 'bob'), message(3, 'carol'), message(4, 'me')];
    expect(arrivals.take([{ roomId: 'r', messages: later, loaded: true }], 'me')).toEqual([
      message(3, 'carol'),
    ]);
    expect(arrivals.take([{ roomId: 'r', messages: later, loaded: true }], 'me')).toEqual([]);
  });

  it("wait for a room's first page before recording where it stands", () => {
    const arrivals = new Arrivals();
    expect(arrivals.take([{ roomId: 'r', messages: [], loaded: false }], 'me')).toEqual([]);
    expect(arrivals.take([{ roomId: 'r', messages: [message(5, 'bob')], loaded: true }], 'me')).toEqual([]);
  });

  it('ignore older pages loaded below what was seen', () => {
    const arrivals = new Arrivals();
    arrivals.take([{ roomId: 'r', messages: [message(10, 'bob')], loaded: true }], 'me');
    expect(
      arrivals.take([{ roomId: 'r', messages: [message(2, 'bob'), message(10, 'bob')], loaded: true }], 'me'),
    ).toEqual([]);
  });
});
