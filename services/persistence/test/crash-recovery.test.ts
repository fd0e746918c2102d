import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@chat/testkit';
import {
  committedOffsets,
  committedToLogEnd,
  connectModels,
  databaseUrl,
  endpoints,
  isolatedStreams,
  kafka,
  produceMessages,
  runService,
} from './support.js';

describe('kill -9 of the worker around a flush', () => {
  let admin: Admin;
  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
  });
  afterAll(() => admin.disconnect());

  for (const failpoint of ['before-write', 'after-write'] as const) {
    it(`dies ${failpoint === 'before-write' ? 'before the write' : 'after the write, before the commit'}: after restart each message is stored exactly once`, async () => {
      const streams = await isolatedStreams(admin, 2);
      const url = databaseUrl(streams.database);
      const { connection, models } = await connectModels(url);
      await produceMessages(streams.messages, 600, ['x', 'y', 'z']);
      const env = {
        KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
        MONGODB_URL: url,
        PERSISTENCE_GROUP_ID: streams.groupId,
        PERSISTENCE_TOPICS: streams.messages,
        PERSISTENCE_SESSION_TIMEOUT_MS: '6000',
      };

      const crashing = runService({ ...env, PERSISTENCE_FAILPOINT: failpoint });
      expect(await crashing.exited).toBe('SIGKILL');
      const storedAtCrash = await models.Message.countDocuments();
      if (failpoint === 'before-write') expect(storedAtCrash).toBe(0);
      else expect(storedAtCrash).toBeGreaterThan(0);
      // Nothing was committed: the crash came before any commit.
      for (const offset of (await committedOffsets(streams.groupId, streams.messages)).values())
        expect(offset).toBe('-1');

      const restarted = runService(env);
      await waitFor('600 stored after restart', async () => (await models.Message.countDocuments()) === 600, {
        timeoutMs: 60_000,
      });
      await waitFor('offsets committed to the log end', () =>
        committedToLogEnd(streams.groupId, streams.messages),
      );
      restarted.child.signal('SIGTERM');
      expect(await restarted.exited).toBe('0');
      expect(await models.Message.countDocuments()).toBe(600);
      const distinct = await models.Message.distinct('_id');
      expect(distinct).toHaveLength(600);
      await connection.dropDatabase();
      await connection.close();
    }, 120_000);
  }
});
