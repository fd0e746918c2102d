export {
  RECEIPT_STATUSES,
  RECEIPT_RANK,
  advanceReceipt,
  isReceiptAdvance,
  type ReceiptStatus,
} from './receipt-order.js';
import { defineEvent } from '../envelope.js';
import { t } from '../schema/field.js';
import { TOPICS } from '../topics.js';

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
