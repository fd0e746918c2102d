import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECEIPT_RANK, createEvent } from '@chat/contracts';
import { endpointsFromEnv } from '@chat/runtime';
import { uniqueName } from '@chat/testkit';
import { chatModels, nativeCollection } from '@chat/message-store';
import { writeUntilResolved } from '../src/worker/write-until-resolved.js';
import type { BufferedItem } from '../src/worker/buffered-item.js';
import { bulkWriteOutcomes } from '../src/writer/bulk-writer.js';
import { messageInsert, receiptUpsert } from '../src/writer/operations.js';

const connection = mongoose.createConnection(endpointsFromEnv().mongoUrl);
const { Message, Receipt } = chatModels(connection, {
  messages: uniqueName('messages'),
  receipts: uniqueName('receipts'),
});

const message = (index: number) =>
  createEvent(
    'chat.message.sent',
    {
      messageId: `m-${index}`,
      roomId: 'room-1',
      senderId: 'alice',
      clientMessageId: `c-${index}`,
      text: `hello ${index}`,
      sentAt: new Date().toISOString(),
    },
    { correlationId: `corr-${index}` },
  );

const receipt = (status: 'delivered' | 'read', at: string, roomId = 'room-1', messageId = 'm-1') =>
  createEvent(
    'chat.receipt.updated',
    { roomId, messageId, userId: 'bob', status, at },
    { correlationId: 'c' },
  );

describe('bulk writes against the real MongoDB-wire server', () => {
  beforeAll(async () => {
    await connection.asPromise();
    await Message.createIndexes();
    await Receipt.createIndexes();
  });
  afterAll(async () => {
    await Promise.all([Message.collection.drop(), Receipt.collection.drop()]).catch(() => undefined);
    await connection.close();
  });

  it('stores each message once: a repeated batch reports duplicates and changes nothing', async () => {
    const operations = Array.from({ length: 20 }, (_, index) =>
      messageInsert(message(index), index, new Date()),
    );
    const first = await bulkWriteOutcomes(nativeCollection(Message), operations, {
      duplicateMeansStored: true,
    });
    expect(first.every((outcome) => outcome.kind === 'written')).toBe(true);
    const again = await bulkWriteOutcomes(nativeCollection(Message), operations, {
      duplicateMeansStored: true,
    });
    expect(again.every((outcome) => outcome.kind === 'duplicate')).toBe(true);
    expect(await Message.countDocuments()).toBe(20);
  });

  it('keeps the first position of a messageId published twice', async () => {
    const duplicate = message(100);
    const outcomes = await bulkWriteOutcomes(
      nativeCollection(Message),
      [messageInsert(duplicate, 500, new Date()), messageInsert(duplicate, 501, new Date())],
      { duplicateMeansStored: true },
    );
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(['written', 'duplicate']);
    expect((await Message.findById('m-100').lean())?.position).toBe(500);
  });

  it('reports a rejected document without losing the rest of the batch', async () => {
    const good = messageInsert(message(200), 600, new Date());
    // Same room and position as an existing message: the unique (roomId, position) index rejects it.
    const clash = messageInsert(message(201), 600, new Date());
    const outcomes = await bulkWriteOutcomes(
      nativeCollection(Message),
      [good, clash, messageInsert(message(202), 602, new Date())],
      {
        duplicateMeansStored: false,
      },
    );
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(['written', 'retry', 'written']);
    expect(await Message.countDocuments({ _id: { $in: ['m-200', 'm-202'] } })).toBe(2);
  });

  it('moves receipts forward only: repeats and late older statuses are no-ops', async () => {
    const t1 = '2026-01-01T00:00:01.000Z';
    const t2 = '2026-01-01T00:00:02.000Z';
    const t3 = '2026-01-01T00:00:03.000Z';
    for (const event of [
      receipt('read', t2),
      receipt('delivered', t1),
      receipt('read', t3),
      receipt('delivered', t3),
    ]) {
      await bulkWriteOutcomes(nativeCollection(Receipt), [receiptUpsert(event)], {
        duplicateMeansStored: false,
      });
    }
    const stored = await Receipt.findById('m-1:bob').lean();
    expect(stored?.rank).toBe(RECEIPT_RANK.read);
    expect(stored?.readAt?.toISOString()).toBe(t2);
    expect(stored?.deliveredAt?.toISOString()).toBe(t1);
  });

  it('never rewrites a stored receipt from one naming another room: that one is rejected (DLQ), not retried', async () => {
    const t1 = '2026-01-02T00:00:01.000Z';
    await bulkWriteOutcomes(
      nativeCollection(Receipt),
      [receiptUpsert(receipt('delivered', t1, 'room-1', 'm-9'))],
      {
        duplicateMeansStored: false,
      },
    );
    const foreign = receipt('read', '2026-01-02T00:00:02.000Z', 'room-2', 'm-9');
    const item = { kind: 'receipt', event: foreign, record: {} } as unknown as BufferedItem;
    const resolution = await writeUntilResolved([item], {
      models: { Message, Receipt, Change: Message as never, ParkedChange: Message as never },
      guard: (work) => work(),
      delayOf: () => 10,
      signal: AbortSignal.timeout(5_000),
      onRetry: () => undefined,
    });
    expect(resolution.rejected.map(({ item: rejected }) => rejected)).toEqual([item]);
    const stored = await Receipt.findById('m-9:bob').lean();
    expect(stored).toMatchObject({ roomId: 'room-1', rank: RECEIPT_RANK.delivered });
    expect(stored?.readAt).toBeUndefined();
  });
});
