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

  it('finds a document by _id through the _id index, also when the filter names more fields', async () => {
    const collection = connection.collection(uniqueName('smoke_lookups'));
    await collection.insertMany([
      { _id: 'a' as never, roomId: 'r' },
      { _id: 'b' as never, roomId: 'r' },
    ]);
    const explained = (await collection.find({ _id: 'a' as never, roomId: 'r' }).explain()) as {
      serverInfo?: { ferretdbVersion?: string };
      queryPlanner: unknown;
    };
    // FerretDB answers with SQLite's plan; MongoDB with its own stages.
    const plan = JSON.stringify(explained.queryPlanner);
    if (explained.serverInfo?.ferretdbVersion) expect(plan).toContain('USING INDEX');
    else expect(plan).toMatch(/IDHACK|IXSCAN|EXPRESS/);
    // The rest of the filter still decides what matches.
    expect(
      (await collection.updateOne({ _id: 'a' as never, roomId: 'other' }, { $set: { x: 1 } })).matchedCount,
    ).toBe(0);
    expect(
      (await collection.updateOne({ _id: 'a' as never, roomId: 'r' }, { $set: { x: 1 } })).matchedCount,
    ).toBe(1);
    expect(await collection.findOne({ _id: 'b' as never })).not.toHaveProperty('x');
    await collection.drop();
  });
});
