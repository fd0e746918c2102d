import type { ChatMessage, EventOf, MessageUpdate } from '@chat/contracts';
import type { StoredMessage } from './models.js';

type MessageEvent = EventOf<'chat.message.sent'>;

/** The fields of a stored message a client sees: what history reads project. */
export type StoredMessageView = Pick<
  StoredMessage,
  '_id' | 'roomId' | 'senderId' | 'clientMessageId' | 'text' | 'sentAt' | 'position'
> &
  Partial<Pick<StoredMessage, 'revision' | 'editedAt' | 'deleted' | 'deletedAt'>>;

type ChangeEvent = EventOf<'chat.message.edited'> | EventOf<'chat.message.deleted'>;

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
    ...(row.editedAt ? { editedAt: new Date(row.editedAt).toISOString() } : {}),
    ...(row.deleted ? { deleted: true, text: '' } : {}),
    ...(row.revision !== undefined && row.revision > row.position ? { revision: row.revision } : {}),
  };
}

/** A consumed edit or delete as clients see it, at its own position in the room's order (the record's offset). */
export function messageUpdateOfEvent(event: ChangeEvent, offset: string | number): MessageUpdate {
  const { messageId, roomId } = event.payload;
  const position = Number(offset);
  if (event.type === 'chat.message.edited')
    return {
      roomId,
      messageId,
      position,
      change: 'edited',
      text: event.payload.text,
      at: event.payload.editedAt,
    };
  return { roomId, messageId, position, change: 'deleted', at: event.payload.deletedAt };
}

/** The change a stored message's final state stands for, at its last revision; undefined when it never changed. */
export function messageUpdateOfStored(row: StoredMessageView): MessageUpdate | undefined {
  if (row.revision === undefined || row.revision <= row.position) return undefined;
  const base = { roomId: row.roomId, messageId: row._id, position: row.revision };
  if (row.deleted)
    return { ...base, change: 'deleted', at: new Date(row.deletedAt ?? row.sentAt).toISOString() };
  return {
    ...base,
    change: 'edited',
    text: row.text,
    at: new Date(row.editedAt ?? row.sentAt).toISOString(),
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
