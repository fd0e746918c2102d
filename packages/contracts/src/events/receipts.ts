import { defineEvent } from '../envelope.js';
import { t } from '../schema/field.js';
import { TOPICS } from '../topics.js';

/** Receipt states in the only order they may move: sent → delivered → read. */
export const RECEIPT_STATUSES = ['sent', 'delivered', 'read'] as const;
export type ReceiptStatus = (typeof RECEIPT_STATUSES)[number];

/** A member's client got (`delivered`) or showed (`read`) a message. */
export const ReceiptUpdated = defineEvent({
  type: 'chat.receipt.updated',
  topic: TOPICS.receipts,
  key: 'roomId',
  major: 1,
  minor: 0,
  payload: {
    roomId: t.id(),
    messageId: t.id(),
    /** The member whose client reports the receipt. */
    userId: t.id(),
    status: t.literal('delivered', 'read'),
    at: t.isoDate(),
  },
});

/** True when `next` is a step forward from `current`; repeats and steps back are no-ops for receivers. */
export function isReceiptAdvance(current: ReceiptStatus | undefined, next: ReceiptStatus): boolean {
  return RECEIPT_STATUSES.indexOf(next) > (current === undefined ? -1 : RECEIPT_STATUSES.indexOf(current));
}

/** The status after applying `next` to `current`: receipts only move forward. */
export function advanceReceipt(current: ReceiptStatus | undefined, next: ReceiptStatus): ReceiptStatus {
  return isReceiptAdvance(current, next) ? next : (current ?? next);
}
