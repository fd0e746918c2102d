import type { ChatMessage, MessageUpdate } from './protocol.js';

/**
 * Applies an edit or delete to a message as every reader must: only an
 * update later than what the message already reflects, and never to a
 * tombstone, so a repeated, late or replayed update changes nothing.
 */
export function applyMessageUpdate(message: ChatMessage, update: MessageUpdate): ChatMessage {
  if (message.deleted || (message.revision ?? message.position) >= update.position) return message;
  if (update.change === 'deleted') return { ...message, text: '', deleted: true, revision: update.position };
  return { ...message, text: update.text ?? message.text, editedAt: update.at, revision: update.position };
}
