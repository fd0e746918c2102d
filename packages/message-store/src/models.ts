import type { Collection } from 'mongodb';
import { Schema, type Connection, type Model } from 'mongoose';

/**
 * A stored chat message. `_id` is the messageId, so storing the same message
 * twice is a duplicate-key no-op; `position` is the message's offset in its
 * room's partition, which every consumer sees the same and which grows in the
 * room's one order.
 */
export interface StoredMessage {
  _id: string;
  roomId: string;
  senderId: string;
  clientMessageId: string;
  text: string;
  sentAt: Date;
  position: number;
  eventId: string;
  correlationId: string;
  persistedAt: Date;
}

/** One member's receipt for one message; `_id` is `${messageId}:${userId}`, `rank` the contracts' `RECEIPT_RANK`. */
export interface StoredReceipt {
  _id: string;
  roomId: string;
  messageId: string;
  userId: string;
  rank: number;
  deliveredAt?: Date;
  readAt?: Date;
}

export const MESSAGES_COLLECTION = 'messages';
export const RECEIPTS_COLLECTION = 'receipts';

const messageSchema = new Schema<StoredMessage>(
  {
    _id: { type: String, required: true },
    roomId: { type: String, required: true },
    senderId: { type: String, required: true },
    clientMessageId: { type: String, required: true },
    text: { type: String, required: true },
    sentAt: { type: Date, required: true },
    position: { type: Number, required: true },
    eventId: { type: String, required: true },
    correlationId: { type: String, required: true },
    persistedAt: { type: Date, required: true },
  },
  { versionKey: false },
);
// History pages in both directions: (roomId, position) ascending serves "before" and "after" alike.
messageSchema.index({ roomId: 1, position: 1 }, { unique: true });

const receiptSchema = new Schema<StoredReceipt>(
  {
    _id: { type: String, required: true },
    roomId: { type: String, required: true },
    messageId: { type: String, required: true },
    userId: { type: String, required: true },
    rank: { type: Number, required: true },
    deliveredAt: Date,
    readAt: Date,
  },
  { versionKey: false },
);
receiptSchema.index({ roomId: 1, messageId: 1 });

export interface ChatModels {
  Message: Model<StoredMessage>;
  Receipt: Model<StoredReceipt>;
}

/** The native driver collection behind a model, typed: bulk writes skip mongoose casting. */
export function nativeCollection<T extends { _id: string }>(model: Model<T>): Collection<T> {
  return model.collection as unknown as Collection<T>;
}

/** Binds the models to a connection; collection names are overridable so tests never share state. */
export function chatModels(
  connection: Connection,
  names: { messages?: string; receipts?: string } = {},
): ChatModels {
  return {
    Message: connection.model<StoredMessage>(
      `Message:${names.messages ?? MESSAGES_COLLECTION}`,
      messageSchema,
      names.messages ?? MESSAGES_COLLECTION,
    ),
    Receipt: connection.model<StoredReceipt>(
      `Receipt:${names.receipts ?? RECEIPTS_COLLECTION}`,
      receiptSchema,
      names.receipts ?? RECEIPTS_COLLECTION,
    ),
  };
}
