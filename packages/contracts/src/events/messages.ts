import Joi from 'joi';
import { defineEvent } from '../envelope.js';
import { t } from '../schema/field.js';
import { TOPICS } from '../topics.js';

/** Longest message text accepted anywhere on the platform. */
export const MAX_MESSAGE_TEXT_LENGTH = 4000;

/**
 * A user sent a message to a room. The per-room sequence is not part of it:
 * it is assigned downstream, where the room's partition is consumed in order.
 */
export const MessageSent = defineEvent({
  type: 'chat.message.sent',
  topic: TOPICS.messages,
  key: 'roomId',
  major: 1,
  minor: 0,
  payload: {
    messageId: t.id(),
    roomId: t.id(),
    /** Taken from the sender's token, never from client input. */
    senderId: t.id(),
    /** The client's own id for the send; a retry with the same id is the same message. */
    clientMessageId: t.id(),
    text: t.string(Joi.string().min(1).max(MAX_MESSAGE_TEXT_LENGTH)),
    sentAt: t.isoDate(),
  },
});
