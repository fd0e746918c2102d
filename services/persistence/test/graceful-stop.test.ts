import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@chat/testkit';
import {
  committedToLogEnd,
  connectModels,
  databaseUrl,
  isolatedStreams,
  kafka,
  produceMessages,
  worker,
} from './support.js';

describe('graceful stop', () => {
  let admin: Admin;
  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
  });
  afterAll(() => admin.disconnect());

  it('writes what is buffered and commits it, so a successor reads nothing twice', async () => {
    const streams = await isolatedStreams(admin);
    const { connection, models } = await connectModels(databaseUrl(streams.database));
    await produceMessages(streams.messages, 50, ['a', 'b', 'c']);
    // Neither trigger fires while it runs: only stop() can write these 50.
    const subject = worker({
      models,
      groupId: streams.groupId,
      topics: [streams.messages],
      flushMaxEvents: 1000,
      flushIntervalMs: 600_000,
    });
    await subject.start();
    await waitFor('50 buffered', () => subject.health().buffered === 50, { timeoutMs: 30_000 });
    expect(await models.Message.countDocuments()).toBe(0);
    await subject.stop();
    expect(await models.Message.countDocuments()).toBe(50);
    expect(subject.health().lastError).toBeUndefined();
    expect(await committedToLogEnd(streams.groupId, streams.messages)).toBe(true);
    await connection.dropDatabase();
    await connection.close();
  });
});
