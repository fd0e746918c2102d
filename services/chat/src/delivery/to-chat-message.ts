import type { ChatMessage, EventOf } from '@chat/contracts';

/** A stored or consumed message as clients see it, with its per-room position (the record's offset). */
export function toChatMessage(event: EventOf<'chat.message.sent'>, offset: string | number): ChatMessage {
  const { messageId, roomId, senderId, clientMessageId, text, sentAt } = event.payload;
  return { messageId, roomId, senderId, clientMessageId, text, sentAt, position: Number(offset) };
}
