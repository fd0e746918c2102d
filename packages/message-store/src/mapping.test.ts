import { describe, expect, it } from 'vitest';
import { createEvent } from '@chat/contracts';
import { chatMessageOfEvent, chatMessageOfStored, storedMessageOfEvent } from './mapping.js';

const sent = createEvent(
  'chat.message.sent',
  {
    messageId: 'm-1',
    roomId: 'r-1',
    senderId: 'u-1',
    clientMessageId: 'c-1',
    text: 'hello',
    sentAt: '2026-01-01T00:00:00.000Z',
  },
  { correlationId: 'corr-1' },
);

describe('message mappings', () => {
  it('give a client the same message from the live path and from the store', () => {
    const live = chatMessageOfEvent(sent, '41');
    const stored = storedMessageOfEvent(sent, 41, new Date('2026-01-01T00:00:01Z'));
    expect(chatMessageOfStored(stored)).toEqual(live);
    expect(live).toEqual({
      messageId: 'm-1',
      roomId: 'r-1',
      senderId: 'u-1',
      clientMessageId: 'c-1',
      text: 'hello',
      sentAt: '2026-01-01T00:00:00.000Z',
      position: 41,
    });
  });

  it('store a message under its messageId with the event and correlation ids', () => {
    const stored = storedMessageOfEvent(sent, 7, new Date('2026-01-01T00:00:01Z'));
    expect(stored).toMatchObject({ _id: 'm-1', position: 7, eventId: sent.eventId, correlationId: 'corr-1' });
    expect(stored.sentAt).toEqual(new Date('2026-01-01T00:00:00Z'));
  });
});
