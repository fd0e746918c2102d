import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointsFromEnv } from '@chat/runtime';
import { uniqueName } from '@chat/testkit';

const { mongoUrl } = endpointsFromEnv();

describe('mongoose against the real MongoDB-wire server', () => {
  const connection = mongoose.createConnection(mongoUrl);
  const schema = new mongoose.Schema({ messageId: { type: String, required: true }, text: String });
  schema.index({ messageId: 1 }, { unique: true });
  const Message = connection.model('SmokeMessage', schema, uniqueName('smoke_messages'));

  beforeAll(async () => {
    await connection.asPromise();
    await Message.createIndexes();
  });
  afterAll(async () => {
    await Message.collection.drop().catch(() => undefined);
    await connection.close();
  });

  const upserts = Array.from({ length: 50 }, (_, index) => ({
    updateOne: {
      filter: { messageId: `m-${index}` },
      update: { $setOnInsert: { messageId: `m-${index}`, text: `hello ${index}` } },
      upsert: true,
    },
  }));

  it('enforces the unique index', async () => {
    await Message.create({ messageId: 'dup', text: 'first' });
    await expect(Message.create({ messageId: 'dup', text: 'second' })).rejects.toMatchObject({ code: 11000 });
  });

  it('bulkWrite of upserts (ordered: false) is idempotent when repeated', async () => {
    const first = await Message.bulkWrite(upserts, { ordered: false });
    expect(first.upsertedCount).toBe(50);
    const second = await Message.bulkWrite(upserts, { ordered: false });
    expect(second.upsertedCount).toBe(0);
    expect(second.matchedCount).toBe(50);
    expect(await Message.countDocuments({ messageId: /^m-/ })).toBe(50);
  });
});
