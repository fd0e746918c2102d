import type { ChatMessage, EventOf } from '@chat/contracts';
import type { StoredMessage } from './models.js';

type MessageEvent = EventOf<'chat.message.sent'>;

/** The fields of a stored message a client sees: what history reads project. */
export type StoredMessageView = Pick<
  StoredMessage,
  '_id' | 'roomId' | 'senderId' | 'clientMessageId' | 'text' | 'sentAt' | 'position'
>;

/** A consumed message as clients see it, with its per-room position (the record's offset). */
export function chatMessageOfEvent(event: MessageEvent, offset: string | number): ChatMessage {
  const { messageId, roomId, senderId, clientMessageId, text, sentAt } = event.payload;
  return { messageId, roomId, senderId, clientMessageId, text, sentAt, position: Number(offset) };
}

/** A stored message as clients see it: the same shape the live path delivers. */
export function chatMessageOfStored(row: StoredMessageView): ChatMessage {
  return {
    messageId: row._id,
    roomId: row.roomId,
    senderId: row.senderId,
    clientMessageId: row.clientMessageId,
    text: row.text,
    sentAt: new Date(row.sentAt).toISOString(),
    position: row.position,
  };
}

/** The document stored for a consumed message: `_id` is the messageId, so a second copy is a duplicate key. */
export function storedMessageOfEvent(
  event: MessageEvent,
  position: number,
  persistedAt: Date,
): StoredMessage {
  const { payload } = event;
  return {
    _id: payload.messageId,
    roomId: payload.roomId,
    senderId: payload.senderId,
    clientMessageId: payload.clientMessageId,
    text: payload.text,
    sentAt: new Date(payload.sentAt),
    position,
    eventId: event.eventId,
    correlationId: event.correlationId,
    persistedAt,
  };
}
