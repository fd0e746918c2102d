import type { AnyBulkWriteOperation } from 'mongodb';
import { RECEIPT_RANK, type EventOf } from '@chat/contracts';
import { storedMessageOfEvent, type StoredMessage, type StoredReceipt } from '@chat/message-store';

export type MessageEvent = EventOf<'chat.message.sent'>;
export type ReceiptEvent = EventOf<'chat.receipt.updated'>;

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
