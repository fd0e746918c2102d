import type { ChatMessage, ReceiptNotice } from '@chat/contracts';
import { isReceiptAdvance, type ReceiptStatus } from '@chat/contracts/receipt-order';

/** A message of ours the gateway has not delivered back yet. */
export interface PendingMessage {
  clientMessageId: string;
  roomId: string;
  text: string;
  createdAt: string;
  /** `pending`: not acknowledged; `sent`: durable (acked), not yet back as a `message`; `failed`: refused for good. */
  status: 'pending' | 'sent' | 'failed';
  error?: string;
}

export type Tick = ReceiptStatus;

/**
 * Adds messages to a room's list: one entry per position (the room's one
 * order), ascending. Catch-up, live delivery and history pages may overlap;
 * the overlap is dropped here, so no bubble is ever shown twice.
 */
export function mergeMessages(held: readonly ChatMessage[], incoming: readonly ChatMessage[]): ChatMessage[] {
  const byPosition = new Map<number, ChatMessage>();
  for (const message of held) byPosition.set(message.position, message);
  let changed = false;
  for (const message of incoming) {
    if (byPosition.has(message.position)) continue;
    byPosition.set(message.position, message);
    changed = true;
  }
  if (!changed) return held as ChatMessage[];
  return [...byPosition.values()].sort((a, b) => a.position - b.position);
}

/** Our pending sends minus the ones that have come back as durable messages. */
export function settlePending(
  pending: readonly PendingMessage[],
  arrived: readonly ChatMessage[],
  me: string,
): PendingMessage[] {
  const back = new Set(arrived.filter((m) => m.senderId === me).map((m) => m.clientMessageId));
  return back.size ? pending.filter((p) => !back.has(p.clientMessageId)) : (pending as PendingMessage[]);
}

/** The furthest receipt other members reported per message id. */
export function applyReceipt(
  receipts: Readonly<Record<string, Tick>>,
  notice: ReceiptNotice,
  me: string,
): Record<string, Tick> {
  if (notice.userId === me) return receipts as Record<string, Tick>;
  const current = receipts[notice.messageId] ?? 'sent';
  return isReceiptAdvance(current, notice.status)
    ? { ...receipts, [notice.messageId]: notice.status }
    : receipts;
}

/**
 * Ticks of our own messages. Clients report a receipt for the newest
 * message they got or showed, and they take messages in the room's order,
 * so a receipt on a later message covers every earlier one.
 */
export function ticksOf(
  messages: readonly ChatMessage[],
  receipts: Readonly<Record<string, Tick>>,
  me: string,
): Map<string, Tick> {
  const ticks = new Map<string, Tick>();
  let furthest: Tick = 'sent';
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    const message = messages[index]!;
    const reported = receipts[message.messageId];
    if (reported && isReceiptAdvance(furthest, reported)) furthest = reported;
    if (message.senderId === me) ticks.set(message.messageId, furthest);
  }
  return ticks;
}

/** The newest message from someone else: the one a receipt is sent for. */
export function newestFromOthers(messages: readonly ChatMessage[], me: string): ChatMessage | undefined {
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    if (messages[index]!.senderId !== me) return messages[index];
  }
  return undefined;
}
