import type { AnyEvent, ReceiptNotice } from '@chat/contracts';
import { chatMessageOfEvent, messageUpdateOfEvent } from '@chat/message-store';
import type { Logger } from '@chat/runtime';
import type { EventDecoder } from '../decoding/published-events.js';
import type { HeldDecoder, WindowEntry } from './room-windows.js';

/** The two topics the delivery consumer reads. */
export type DeliveryTopic = 'messages' | 'receipts';

/** What a consumed record means for delivery. */
export type DeliveryEntry = WindowEntry | { kind: 'receipt'; notice: ReceiptNotice };

/**
 * Reads one record: the event, and what it delivers — nothing for an event
 * type delivery does not show.
 */
export function decodeRecord(
  value: Buffer,
  offset: string | number,
  topic: DeliveryTopic,
  decode: EventDecoder,
): { event: AnyEvent; entry: DeliveryEntry | undefined } {
  const event = decode(value);
  if (topic === 'messages' && event.type === 'chat.message.sent')
    return { event, entry: { kind: 'message', message: chatMessageOfEvent(event, offset) } };
  if (topic === 'messages' && (event.type === 'chat.message.edited' || event.type === 'chat.message.deleted'))
    return {
      event,
      entry: { kind: 'update', update: messageUpdateOfEvent(event, offset), changeKey: event.idempotencyKey },
    };
  if (topic === 'receipts' && event.type === 'chat.receipt.updated')
    return { event, entry: { kind: 'receipt', notice: event.payload } };
  return { event, entry: undefined };
}

/** Decodes held records of the messages topic for the room windows; an unreadable one is logged and skipped, as on arrival. */
export function heldDecoder(logger: Logger, decode: EventDecoder): HeldDecoder {
  return ({ offset, value }) => {
    try {
      const { entry } = decodeRecord(Buffer.from(value, 'latin1'), offset, 'messages', decode);
      return entry?.kind === 'receipt' ? undefined : entry;
    } catch (error) {
      logger.warn({ err: (error as Error).message, offset }, 'unreadable held record skipped by delivery');
      return undefined;
    }
  };
}
