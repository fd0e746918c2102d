import { createEvent, parseEvent, type ChatMessage, type ReceiptNotice } from '@chat/contracts';
import { createLogger } from '@chat/runtime';
import { consumedRecord, messageSent, receiptUpdated } from '@chat/testkit/events';
import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { heldDecoder } from './decode-record.js';
import { DeliveryRecords, type RecordSource } from './delivery-records.js';
import { RoomWindows } from './room-windows.js';

const logger = createLogger('delivery-records-test', 'silent');
const messages: RecordSource = { topic: 'm', kind: 'messages', partition: 0, groupId: 'g' };
const receipts: RecordSource = { topic: 'r', kind: 'receipts', partition: 0, groupId: 'g' };

function setUp(local: string[]) {
  const delivered: { messages: ChatMessage[]; receipts: ReceiptNotice[]; updates: number } = {
    messages: [],
    receipts: [],
    updates: 0,
  };
  const windows = new RoomWindows(100, heldDecoder(logger, parseEvent));
  windows.setPartitionStarts(new Map([[0, 0]]), 1);
  const rooms = new Set(local);
  const records = new DeliveryRecords({
    windows,
    sink: {
      message: (message) => delivered.messages.push(message),
      update: () => (delivered.updates += 1),
      receipt: (notice) => delivered.receipts.push(notice),
    },
    hasLocalSockets: (roomId) => rooms.has(roomId),
    decode: parseEvent,
    logger,
  });
  return { windows, records, rooms, delivered };
}

describe('a delivery record, decided by its key', () => {
  it('decodes and delivers a room with a socket here, holds one without, and skips its receipts', () => {
    const { windows, records, delivered } = setUp(['here']);
    const local = messageSent('here');
    const foreign = messageSent('elsewhere');
    expect(records.handle(messages, consumedRecord(local, 0))).toBe('decoded');
    expect(records.handle(messages, consumedRecord(foreign, 1))).toBe('held');
    expect(records.handle(receipts, consumedRecord(receiptUpdated('here', local.payload.messageId), 0))).toBe(
      'decoded',
    );
    expect(
      records.handle(receipts, consumedRecord(receiptUpdated('elsewhere', foreign.payload.messageId), 1)),
    ).toBe('skipped');
    expect(delivered.messages.map((m) => m.messageId)).toEqual([local.payload.messageId]);
    expect(delivered.receipts.map((r) => r.roomId)).toEqual(['here']);
    expect(windows.has('elsewhere', foreign.payload.messageId)).toBe(true);
    expect(windows.view('elsewhere').messages).toEqual([
      expect.objectContaining({ messageId: foreign.payload.messageId, position: 1 }),
    ]);
  });

  it('gives a room that gains a socket its held past in the window and only what comes next live', () => {
    const { windows, records, rooms, delivered } = setUp([]);
    const first = messageSent('x');
    const copy = messageSent('x', { messageId: first.payload.messageId });
    const edit = createEvent(
      'chat.message.edited',
      {
        roomId: 'x',
        messageId: first.payload.messageId,
        editorId: 'alice',
        clientRequestId: 'e1',
        text: 'edited',
        editedAt: new Date(0).toISOString(),
      },
      { correlationId: 'c', idempotencyKey: 'edit-1' },
    );
    records.handle(messages, consumedRecord(first, 3));
    records.handle(messages, consumedRecord(copy, 4));
    records.handle(messages, consumedRecord(edit, 5));
    rooms.add('x');
    const next = messageSent('x');
    expect(records.handle(messages, consumedRecord(next, 6))).toBe('decoded');
    expect(delivered.messages.map((m) => m.position)).toEqual([6]);
    expect(delivered.updates).toBe(0);
    expect(windows.view('x').messages.map((m) => m.position)).toEqual([3, 6]);
    expect(windows.find('x', first.payload.messageId)?.text).toBe('edited');
  });

  it('holds an unreadable record of a foreign room and skips it when the room is read', () => {
    const { windows, records } = setUp([]);
    const broken: KafkaMessage = { ...consumedRecord(messageSent('y'), 0), value: Buffer.from('{not json') };
    expect(records.handle(messages, broken)).toBe('held');
    expect(records.handle(messages, consumedRecord(messageSent('y'), 1))).toBe('held');
    expect(windows.view('y').messages.map((m) => m.position)).toEqual([1]);
  });
});
