import type { ChatMessage } from '@chat/contracts';
import { describe, expect, it } from 'vitest';
import { userIdFromName, userIdsFromNames } from './identity.js';
import { applyReceipt, mergeMessages, settlePending, ticksOf, type PendingMessage } from './room-state.js';

const message = (position: number, senderId = 'ada', clientMessageId = `c${position}`): ChatMessage => ({
  messageId: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
  roomId: 'r1',
  senderId,
  clientMessageId,
  text: `m${position}`,
  sentAt: new Date(0).toISOString(),
  position,
});

describe('mergeMessages', () => {
  it('keeps one entry per position, ascending, whatever order and overlap the pages come in', () => {
    const held = mergeMessages([], [message(10), message(4)]);
    const merged = mergeMessages(held, [message(4), message(12), message(7), message(10)]);
    expect(merged.map((m) => m.position)).toEqual([4, 7, 10, 12]);
  });

  it('returns the same list when nothing is new, so the page does not re-render', () => {
    const held = mergeMessages([], [message(1)]);
    expect(mergeMessages(held, [message(1)])).toBe(held);
  });
});

describe('settlePending', () => {
  it('drops our pending sends that came back as durable messages, and only ours', () => {
    const pending: PendingMessage[] = ['c1', 'c2'].map((clientMessageId) => ({
      clientMessageId,
      roomId: 'r1',
      text: 'x',
      createdAt: '',
      status: 'sent',
    }));
    expect(settlePending(pending, [message(1, 'me', 'c1'), message(2, 'bob', 'c2')], 'me')).toEqual([
      pending[1],
    ]);
  });
});

describe('ticks', () => {
  const me = 'me';
  const messages = [message(1, me), message(2, me), message(3, 'bob'), message(4, me)];

  it('shows sent until another member reports a receipt', () => {
    expect([...ticksOf(messages, {}, me).values()]).toEqual(['sent', 'sent', 'sent']);
  });

  it('lets a receipt on a later message cover the earlier ones, and only move forward', () => {
    let receipts = applyReceipt(
      {},
      { roomId: 'r1', messageId: message(2).messageId, userId: 'bob', status: 'read', at: '' },
      me,
    );
    receipts = applyReceipt(
      receipts,
      { roomId: 'r1', messageId: message(2).messageId, userId: 'bob', status: 'delivered', at: '' },
      me,
    );
    receipts = applyReceipt(
      receipts,
      { roomId: 'r1', messageId: message(4).messageId, userId: me, status: 'read', at: '' },
      me,
    );
    const ticks = ticksOf(messages, receipts, me);
    expect(ticks.get(message(1).messageId)).toBe('read');
    expect(ticks.get(message(2).messageId)).toBe('read');
    expect(ticks.get(message(4).messageId)).toBe('sent');
  });
});

describe('user ids from names', () => {
  it('normalises a name into an id within the contracts id rule', () => {
    expect(userIdFromName('  Ada Lovelace ')).toBe('ada-lovelace');
    expect(userIdFromName('Zoë O’Brien')).toBe('zoe-o-brien');
    expect(userIdFromName('***')).toBe('');
  });

  it('reads a list of names without repeats or blanks', () => {
    expect(userIdsFromNames('Bob, bob,\nCarol , ')).toEqual(['bob', 'carol']);
  });
});
