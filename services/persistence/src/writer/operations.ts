import type { AnyBulkWriteOperation } from 'mongodb';
import { RECEIPT_RANK, type EventOf } from '@chat/contracts';
import {
  storedMessageOfEvent,
  type StoredChange,
  type StoredParkedChange,
  type StoredMessage,
  type StoredReceipt,
} from '@chat/message-store';

export type MessageEvent = EventOf<'chat.message.sent'>;
export type ReceiptEvent = EventOf<'chat.receipt.updated'>;
export type ChangeEvent = EventOf<'chat.message.edited'> | EventOf<'chat.message.deleted'>;

/**
 * A message is immutable, so "upsert by messageId" is insert-if-absent: an
 * insert with `_id = messageId`, where a duplicate key means "already
 * stored". Inserts batch on FerretDB and MongoDB alike; update statements run
 * one by one on FerretDB. The first record of a messageId in the partition
 * wins, the same one the delivery path shows.
 */
export function messageInsert(
  event: MessageEvent,
  position: number,
  now: Date,
): { insertOne: { document: StoredMessage } } {
  return { insertOne: { document: storedMessageOfEvent(event, position, now) } };
}

/**
 * Receipts only move forward: `$max` on the rank makes a repeat or an older
 * status a no-op, whatever order they arrive in; `$min` keeps the first time
 * each status was reached. The filter names the room too, so a receipt
 * naming another room never rewrites the stored one: its upsert clashes on
 * `_id` instead, and the worker rejects it (`confirmReceiptRooms`).
 */
export function receiptUpsert(event: ReceiptEvent): AnyBulkWriteOperation<StoredReceipt> {
  const { payload } = event;
  const at = new Date(payload.at);
  return {
    updateOne: {
      filter: { _id: `${payload.messageId}:${payload.userId}`, roomId: payload.roomId },
      update: {
        $setOnInsert: { roomId: payload.roomId, messageId: payload.messageId, userId: payload.userId },
        $max: { rank: RECEIPT_RANK[payload.status] },
        $min: payload.status === 'read' ? { readAt: at } : { deliveredAt: at },
      },
      upsert: true,
    },
  };
}

/**
 * An edit or delete of a stored message, safe to repeat and to meet out of
 * order. An edit applies only to the sender's own message, not deleted,
 * whose last change is older (`revision` below this change's position), so
 * it never overwrites a later edit. A delete is a tombstone: the text is
 * emptied once and nothing changes it afterwards. No match means it is
 * already applied, superseded, or its message was never stored.
 */
export function messageChange(event: ChangeEvent, position: number): AnyBulkWriteOperation<StoredMessage> {
  const { payload } = event;
  if (event.type === 'chat.message.edited') {
    const { messageId, roomId, editorId, text, editedAt } = event.payload;
    return {
      updateOne: {
        filter: {
          _id: messageId,
          roomId,
          senderId: editorId,
          deleted: { $ne: true },
          $or: [{ revision: { $exists: false } }, { revision: { $lt: position } }],
        },
        update: { $set: { text, editedAt: new Date(editedAt), revision: position } },
      },
    };
  }
  const { deletedBy, deletedAt } = event.payload;
  return {
    updateOne: {
      filter: { _id: payload.messageId, roomId: payload.roomId, deleted: { $ne: true } },
      update: {
        $set: { text: '', deleted: true, deletedAt: new Date(deletedAt), deletedBy },
        $max: { revision: position },
      },
    },
  };
}

export const changeLogId = (event: ChangeEvent): string => `${event.payload.roomId}:${event.idempotencyKey}`;

/** The change's entry in the room's change log (what catch-up reads); a repeat is a duplicate key. */
export function changeLogInsert(
  event: ChangeEvent,
  position: number,
): { insertOne: { document: StoredChange } } {
  const { roomId, messageId } = event.payload;
  return { insertOne: { document: { _id: changeLogId(event), roomId, messageId, position } } };
}

/** A change kept until its message is stored; parking it again (a redelivery) rewrites the same document. */
export function parkedChange(event: ChangeEvent, position: number): AnyBulkWriteOperation<StoredParkedChange> {
  const { roomId, messageId } = event.payload;
  const document = { roomId, messageId, position, event: JSON.stringify(event) };
  return { replaceOne: { filter: { _id: changeLogId(event) }, replacement: document, upsert: true } };
}
