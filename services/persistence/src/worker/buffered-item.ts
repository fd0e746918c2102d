import type { InboundRecord } from '@chat/base-listener';
import type { ChangeEvent, MessageEvent, ReceiptEvent } from '../writer/operations.js';

/** What the worker holds per Kafka record: the record itself (for the DLQ) and what it means. */
export type BufferedItem = { record: InboundRecord } & (
  | { kind: 'message'; event: MessageEvent; position: number }
  | { kind: 'receipt'; event: ReceiptEvent }
  /** An edit or delete: applied to its stored message once and never over a later change. */
  | { kind: 'change'; event: ChangeEvent; position: number }
  /** Could not be parsed, or is not an event this worker stores: dead-lettered by the flush that passes it. */
  | { kind: 'poison'; error: Error }
);
