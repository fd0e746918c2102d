import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent, serializeEvent, type AnyEvent } from '@chat/contracts';
import { waitFor } from '@chat/testkit';
import { messageDeleted, messageEdited, messageSent } from '@chat/testkit/events';
import type { ChatModels } from '@chat/message-store';
import {
  committedToLogEnd,
  connectModels,
  databaseUrl,
  endpoints,
  isolatedStreams,
  kafka,
  runService,
  worker,
} from './support.js';

const ROOMS = ['x', 'y'];
const PER_ROOM = 30;

/**
 * Per room: messages, then two edits of each, a re-published copy of the
 * first edit (a retry whose reservation was lost: same idempotency key, new
 * event id, a later offset), a delete of every third message followed by an
 * edit that must not bring it back. Returns the records in order and the
 * final state each message must have.
 */
function changeScript() {
  const records: { key: string; value: Buffer }[] = [];
  const expected = new Map<string, { text: string; deleted: boolean }>();
  const push = (event: AnyEvent) => records.push({ key: event.payload.roomId, value: serializeEvent(event) });
  for (const roomId of ROOMS) {
    const ids = Array.from({ length: PER_ROOM }, (_, index) => {
      const event = messageSent(roomId, { text: `original ${index}` });
      push(event);
      return event.payload.messageId;
    });
    ids.forEach((messageId, index) => {
      const first = messageEdited(roomId, messageId, `first edit ${index}`);
      push(first);
      push(messageEdited(roomId, messageId, `second edit ${index}`));
      push(
        createEvent(first.type, first.payload, {
          correlationId: first.correlationId,
          idempotencyKey: first.idempotencyKey,
        }),
      );
      const deleted = index % 3 === 0;
      if (deleted) {
        push(messageDeleted(roomId, messageId));
        push(messageEdited(roomId, messageId, `after delete ${index}`));
      }
      expected.set(messageId, { text: deleted ? '' : `second edit ${index}`, deleted });
    });
  }
  return { records, expected };
}

async function expectFinalState(
  models: ChatModels,
  expected: Map<string, { text: string; deleted: boolean }>,
) {
  const stored = await models.Message.find({}).lean().exec();
  expect(stored).toHaveLength(expected.size);
  for (const message of stored) {
    const want = expected.get(message._id)!;
    expect({ id: message._id, text: message.text, deleted: message.deleted ?? false }).toEqual({
      id: message._id,
      ...want,
    });
  }
  // One log entry per distinct change, however often it was delivered or published.
  expect(await models.Change.countDocuments()).toBe(
    ROOMS.length * PER_ROOM * 2 + ROOMS.length * (PER_ROOM / 3) * 2,
  );
}

describe('edits and deletes in the store', () => {
  let admin: Admin;
  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
  });
  afterAll(() => admin.disconnect());

  it('are applied once and in order, under re-publishing and a full replay by a new group', async () => {
    const streams = await isolatedStreams(admin, 2);
    const { connection, models } = await connectModels(databaseUrl(streams.database));
    const { records, expected } = changeScript();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic: streams.messages, acks: -1, messages: records });
    await producer.disconnect();

    for (const groupId of [streams.groupId, `${streams.groupId}-replay`]) {
      const running = worker({ models, groupId, topics: [streams.messages], flushMaxEvents: 37 });
      await running.start();
      await waitFor('all records committed', () => committedToLogEnd(groupId, streams.messages), {
        timeoutMs: 60_000,
      });
      await running.stop();
      await expectFinalState(models, expected);
    }
    await connection.dropDatabase();
    await connection.close();
  }, 150_000);

  it('met before their message are kept until it is stored, in the same flush or a later one', async () => {
    const streams = await isolatedStreams(admin, 2);
    const { connection, models } = await connectModels(databaseUrl(streams.database));
    const records: { key: string; value: Buffer }[] = [];
    const push = (event: AnyEvent) => records.push({ key: event.payload.roomId, value: serializeEvent(event) });
    const expected = new Map<string, { text: string; deleted: boolean }>();
    for (const roomId of ROOMS) {
      for (let index = 0; index < 12; index += 1) {
        const message = messageSent(roomId, { text: `original ${index}` });
        const { messageId } = message.payload;
        push(messageEdited(roomId, messageId, `edited ${index}`));
        const deleted = index % 3 === 0;
        if (deleted) push(messageDeleted(roomId, messageId));
        // A run of unrelated messages between some changes and their message puts them in different flushes.
        if (index % 2 === 0) for (let other = 0; other < 4; other += 1) push(messageSent(roomId));
        push(message);
        expected.set(messageId, { text: deleted ? '' : `edited ${index}`, deleted });
      }
      push(messageEdited(roomId, `never-sent-${roomId}`, 'no message to edit'));
    }
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic: streams.messages, acks: -1, messages: records });
    await producer.disconnect();

    const running = worker({ models, groupId: streams.groupId, topics: [streams.messages], flushMaxEvents: 3 });
    await running.start();
    await waitFor('all records committed', () => committedToLogEnd(streams.groupId, streams.messages), {
      timeoutMs: 60_000,
    });
    await running.stop();
    const stored = await models.Message.find({ _id: { $in: [...expected.keys()] } })
      .lean()
      .exec();
    expect(
      new Map(stored.map(({ _id, text, deleted }) => [_id, { text, deleted: deleted ?? false }])),
    ).toEqual(expected);
    // Only the edit of a message never sent still waits.
    const parked = await models.ParkedChange.find({}).lean().exec();
    expect(parked.map(({ messageId }) => messageId).sort()).toEqual(ROOMS.map((roomId) => `never-sent-${roomId}`));
    await connection.dropDatabase();
    await connection.close();
  }, 150_000);

  it('survive kill -9 after the write and before the commit: redelivered, nothing changes twice', async () => {
    const streams = await isolatedStreams(admin, 2);
    const url = databaseUrl(streams.database);
    const { connection, models } = await connectModels(url);
    const { records, expected } = changeScript();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic: streams.messages, acks: -1, messages: records });
    await producer.disconnect();
    const env = {
      KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
      MONGODB_URL: url,
      PERSISTENCE_GROUP_ID: streams.groupId,
      PERSISTENCE_TOPICS: streams.messages,
      PERSISTENCE_SESSION_TIMEOUT_MS: '6000',
      PERSISTENCE_FLUSH_MAX_EVENTS: '50',
    };
    const crashing = runService({ ...env, PERSISTENCE_FAILPOINT: 'after-write' });
    expect(await crashing.exited).toBe('SIGKILL');
    expect(await models.Message.countDocuments()).toBeGreaterThan(0);

    const restarted = runService(env);
    await waitFor(
      'offsets committed to the log end',
      () => committedToLogEnd(streams.groupId, streams.messages),
      {
        timeoutMs: 90_000,
      },
    );
    restarted.child.signal('SIGTERM');
    expect(await restarted.exited).toBe('0');
    await expectFinalState(models, expected);
    await connection.dropDatabase();
    await connection.close();
  }, 150_000);
});
