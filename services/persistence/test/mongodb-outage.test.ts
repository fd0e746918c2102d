import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateMongo, type PrivateServer } from '@chat/infra/private-servers';
import { waitFor } from '@chat/testkit';
import {
  committedOffsets,
  connectModels,
  databaseUrl,
  isolatedStreams,
  kafka,
  produceMessages,
  worker,
} from './support.js';

describe('MongoDB stopped mid-stream', () => {
  let admin: Admin;
  let mongo: PrivateServer;
  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    mongo = await startPrivateMongo();
  });
  afterAll(async () => {
    await admin.disconnect();
    await mongo.dispose();
  });

  it('pauses, commits nothing unwritten, keeps memory bounded, and lands everything after MongoDB returns', async () => {
    const streams = await isolatedStreams(admin, 2);
    const { connection, models } = await connectModels(databaseUrl(streams.database, mongo.url));
    const subject = worker({
      models,
      groupId: streams.groupId,
      topics: [streams.messages],
      flushMaxEvents: 100,
      bufferMaxEvents: 300,
    });
    const paused: boolean[] = [];
    subject.events.on('paused', (event) => paused.push(event.paused));
    await subject.start();

    await produceMessages(streams.messages, 200, ['a', 'b']);
    await waitFor('the first 200 stored', async () => (await models.Message.countDocuments()) === 200, {
      timeoutMs: 30_000,
    });

    await mongo.stop();
    await produceMessages(streams.messages, 1000, ['a', 'b']);
    await waitFor('the worker to pause', () => paused.includes(true), { timeoutMs: 30_000 });
    // Let it sit in the outage: retries fail, nothing may be committed past what was written.
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, subject.health().buffered)), 5);
    await new Promise((resolve) => setTimeout(resolve, 4000));
    clearInterval(sampler);
    const committed = await committedOffsets(streams.groupId, streams.messages);
    const committedTotal = [...committed.values()].reduce(
      (sum, offset) => sum + Math.max(0, Number(offset)),
      0,
    );
    expect(committedTotal).toBeLessThanOrEqual(200);
    expect(peak).toBeLessThanOrEqual(300 + 2 * 4000);
    const lag = await admin.fetchTopicOffsets(streams.messages);
    expect(lag.reduce((sum, { high }) => sum + Number(high), 0) - committedTotal).toBeGreaterThanOrEqual(
      1000,
    );

    await mongo.start();
    await waitFor('all 1200 stored', async () => (await models.Message.countDocuments()) === 1200, {
      timeoutMs: 90_000,
    });
    await waitFor('consumption resumed', () => paused.at(-1) === false);
    await subject.stop();
    expect((await models.Message.distinct('_id')).length).toBe(1200);
    await connection.close();
  });
});
