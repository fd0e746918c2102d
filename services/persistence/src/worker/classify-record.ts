import { parseEvent } from '@chat/contracts';
import type { InboundRecord } from '@chat/base-listener';
import type { BufferedItem } from './buffered-item.js';

/**
 * What a consumed record means to this worker. A message's position is its
 * offset: all of a room's messages share a partition, so offsets grow in the
 * room's one order and every consumer derives the same position.
 */
export function classifyRecord(record: InboundRecord): BufferedItem {
  let event;
  try {
    event = parseEvent(record.value ?? Buffer.alloc(0));
  } catch (error) {
    return { record, kind: 'poison', error: error as Error };
  }
  if (event.type === 'chat.message.sent')
    return { record, kind: 'message', event, position: Number(record.offset) };
  if (event.type === 'chat.message.edited' || event.type === 'chat.message.deleted')
    return { record, kind: 'change', event, position: Number(record.offset) };
  if (event.type === 'chat.receipt.updated') return { record, kind: 'receipt', event };
  return { record, kind: 'poison', error: new Error(`persistence does not store ${event.type} events`) };
}
