import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@chat/testkit';
import { connectModels, databaseUrl, isolatedStreams, kafka, produceMessages, worker } from './support.js';

describe('every message lands in MongoDB exactly once', () => {
  let admin: Admin;
  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
  });
  afterAll(() => admin.disconnect());

  it('stores N produced messages once each, in per-room position order; a full redelivery changes nothing', async () => {
    const streams = await isolatedStreams(admin);
    const { connection, models } = await connectModels(databaseUrl(streams.database));
    const rooms = ['r1', 'r2', 'r3', 'r4', 'r5'];
    const sent = await produceMessages(streams.messages, 2500, rooms);

    const first = worker({ models, groupId: streams.groupId, topics: [streams.messages, streams.receipts] });
    await first.start();
    await waitFor('2500 stored messages', async () => (await models.Message.countDocuments()) === 2500, {
      timeoutMs: 60_000,
    });
    await first.stop();

    for (const room of rooms) {
      const stored = await models.Message.find({ roomId: room }).sort({ position: 1 }).lean();
      expect(stored.map((message) => message._id)).toEqual(sent.get(room));
    }

    // Redeliver everything: reset the group to the beginning and consume again.
    await admin.resetOffsets({ groupId: streams.groupId, topic: streams.messages, earliest: true });
    const again = worker({ models, groupId: streams.groupId, topics: [streams.messages, streams.receipts] });
    const duplicates: number[] = [];
    again.events.on('delivery', ({ result }) => result === 'success' && duplicates.push(1));
    await again.start();
    await waitFor('the redelivered 2500', () => duplicates.length >= 2500, { timeoutMs: 60_000 });
    await again.stop();
    expect(await models.Message.countDocuments()).toBe(2500);
    await connection.dropDatabase();
    await connection.close();
  });
});
