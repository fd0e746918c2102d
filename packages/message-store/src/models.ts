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
  /** Set by the first edit or delete: the position of the last change applied (an older one never overwrites it). */
  revision?: number;
  editedAt?: Date;
  /** A tombstone: `text` is emptied and stays so. */
  deleted?: boolean;
  deletedAt?: Date;
  deletedBy?: string;
}

/**
 * One applied edit or delete, by its position in the room's order:
 * catch-up finds the changes after a client's last position here (only
 * changes are logged, so a plain send costs nothing extra).
 */
export interface StoredChange {
  /** `${roomId}:${idempotencyKey}`: a redelivered or re-published change is a duplicate key. */
  _id: string;
  roomId: string;
  messageId: string;
  /** Where the change's first copy is in the room's order: a later copy (a re-publish) is not applied again. */
  position: number;
}

/**
 * An edit or delete that found no stored message, kept until its message is
 * stored: a change never depends on meeting its message first (a re-published
 * copy of the message can be the first one stored). Normally empty.
 */
export interface StoredParkedChange {
  /** The change log's `_id`. */
  _id: string;
  roomId: string;
  messageId: string;
  position: number;
  /** The change event, serialized as it was consumed. */
  event: string;
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
export const CHANGES_COLLECTION = 'message_changes';

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
    revision: Number,
    editedAt: Date,
    deleted: Boolean,
    deletedAt: Date,
    deletedBy: String,
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

const changeSchema = new Schema<StoredChange>(
  {
    _id: { type: String, required: true },
    roomId: { type: String, required: true },
    messageId: { type: String, required: true },
    position: { type: Number, required: true },
  },
  { versionKey: false },
);
changeSchema.index({ roomId: 1, position: 1 });

const parkedChangeSchema = new Schema<StoredParkedChange>(
  {
    _id: { type: String, required: true },
    roomId: { type: String, required: true },
    messageId: { type: String, required: true },
    position: { type: Number, required: true },
    event: { type: String, required: true },
  },
  { versionKey: false },
);
parkedChangeSchema.index({ messageId: 1 });

export interface ChatModels {
  Message: Model<StoredMessage>;
  Receipt: Model<StoredReceipt>;
  Change: Model<StoredChange>;
  ParkedChange: Model<StoredParkedChange>;
}

/** The native driver collection behind a model, typed: bulk writes skip mongoose casting. */
export function nativeCollection<T extends { _id: string }>(model: Model<T>): Collection<T> {
  return model.collection as unknown as Collection<T>;
}

/** Binds the models to a connection; collection names are overridable so tests never share state. */
export function chatModels(
  connection: Connection,
  names: { messages?: string; receipts?: string; changes?: string } = {},
): ChatModels {
  const changes = names.changes ?? (names.messages ? `${names.messages}_changes` : CHANGES_COLLECTION);
  const parked = `${changes}_parked`;
  return {
    Change: connection.model<StoredChange>(`Change:${changes}`, changeSchema, changes),
    ParkedChange: connection.model<StoredParkedChange>(`ParkedChange:${parked}`, parkedChangeSchema, parked),
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
