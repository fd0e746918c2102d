/**
 * The one order receipts move in, with no schema library behind it, so the
 * web page can import it without bundling the validators.
 */
export const RECEIPT_STATUSES = ['sent', 'delivered', 'read'] as const;
export type ReceiptStatus = (typeof RECEIPT_STATUSES)[number];

/** Each status's place in that order: a higher rank never goes back (what the store's `$max` keeps). */
export const RECEIPT_RANK: Readonly<Record<ReceiptStatus, number>> = { sent: 0, delivered: 1, read: 2 };

/** True when `next` is a step forward from `current`; repeats and steps back are no-ops for receivers. */
export function isReceiptAdvance(current: ReceiptStatus | undefined, next: ReceiptStatus): boolean {
  return RECEIPT_RANK[next] > (current === undefined ? -1 : RECEIPT_RANK[current]);
}

/** The status after applying `next` to `current`: receipts only move forward. */
export function advanceReceipt(current: ReceiptStatus | undefined, next: ReceiptStatus): ReceiptStatus {
  return isReceiptAdvance(current, next) ? next : (current ?? next);
}
