import Joi from 'joi';
import { defineEvent } from '../envelope.js';
import { t } from '../schema/field.js';
import { TOPICS } from '../topics.js';
import { MAX_MESSAGE_TEXT_LENGTH } from './messages.js';

/**
 * Changes to a sent message. They go to the messages topic keyed by room,
 * like the message itself, so a message and its changes share a partition:
 * every consumer sees the send before its edits and deletes, and each
 * change's offset is its place in the room's order (its `position`).
 */
export const MessageEdited = defineEvent({
  type: 'chat.message.edited',
  topic: TOPICS.messages,
  key: 'roomId',
  major: 1,
  minor: 0,
  payload: {
    messageId: t.id(),
    roomId: t.id(),
    /** The message's sender (only the sender edits), from the token. */
    editorId: t.id(),
    /** The client's id for this change; a retry with the same id is the same change. */
    clientRequestId: t.id(),
    text: t.string(Joi.string().min(1).max(MAX_MESSAGE_TEXT_LENGTH)),
    editedAt: t.isoDate(),
  },
});

/** A message was deleted: a tombstone; its text is gone from the store and from every reader. */
export const MessageDeleted = defineEvent({
  type: 'chat.message.deleted',
  topic: TOPICS.messages,
  key: 'roomId',
  major: 1,
  minor: 0,
  payload: {
    messageId: t.id(),
    roomId: t.id(),
    /** The sender, or a room owner or admin, from the token. */
    deletedBy: t.id(),
    clientRequestId: t.id(),
    deletedAt: t.isoDate(),
  },
});
