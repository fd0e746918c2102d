import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadLetterHeaders, groupTopics, serializeEvent } from '@chat/contracts';
import { waitFor } from '@chat/testkit';
import { nativeCollection } from '@chat/message-store';
import {
  committedOffsets,
  connectModels,
  databaseUrl,
  isolatedStreams,
  kafka,
  messageEvent,
  worker,
} from './support.js';

type DeadLetter = { value: string; headers: ReturnType<typeof deadLetterHeaders.decode> };

/** Reads the group's DLQ from the start until `count` letters came (read_committed: only committed transactions). */
async function readDeadLetters(groupId: string, count: number): Promise<DeadLetter[]> {
  const consumer = kafka.consumer({ groupId: `${groupId}-dlq-reader` });
  const dead: DeadLetter[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic: groupTopics.deadLetter(groupId), fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const headers = Object.fromEntries(
        Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]),
      );
      dead.push({ value: message.value!.toString(), headers: deadLetterHeaders.decode(headers) });
    },
  });
  await waitFor(`${count} dead letters`, () => dead.length >= count);
  await consumer.disconnect();
  return dead;
}

describe('poison and partially failing batches', () => {
  let admin: Admin;
  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
  });
  afterAll(() => admin.disconnect());

  it('dead-letters unparseable and rejected records with context, writes the rest, and commits past them', async () => {
    const streams = await isolatedStreams(admin, 1);
    const { connection, models } = await connectModels(databaseUrl(streams.database));
    const good = Array.from({ length: 10 }, (_, index) => messageEvent('room', index));
    const clashing = messageEvent('room', 99);
    // Offsets on the one partition: 0-4 good, 5 not JSON, 6 an invalid event, 7 clashing, 8-12 good.
    const records = [
      ...good.slice(0, 5).map((event) => ({ key: 'room', value: serializeEvent(event) })),
      { key: 'room', value: Buffer.from('{not json') },
      { key: 'room', value: Buffer.from(JSON.stringify({ ...good[0], eventId: 'not-a-uuid' })) },
      { key: 'room', value: serializeEvent(clashing) },
      ...good.slice(5).map((event) => ({ key: 'room', value: serializeEvent(event) })),
    ];
    // Another message already holds position 7 in this room: the clashing one can never be stored.
    await nativeCollection(models.Message).insertOne({
      _id: 'someone-else',
      roomId: 'room',
      senderId: 'x',
      clientMessageId: 'x',
      text: 'x',
      sentAt: new Date(),
      position: 7,
      eventId: 'x',
      correlationId: 'x',
      persistedAt: new Date(),
    });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: streams.messages, acks: -1, messages: records });
    await producer.disconnect();

    const subject = worker({ models, groupId: streams.groupId, topics: [streams.messages] });
    await subject.start();
    await waitFor(
      'offsets committed past every record',
      async () => (await committedOffsets(streams.groupId, streams.messages)).get(0) === '13',
      {
        timeoutMs: 30_000,
      },
    );
    await subject.stop();

    expect(
      await models.Message.countDocuments({ _id: { $in: good.map((event) => event.payload.messageId) } }),
    ).toBe(10);
    expect(await models.Message.countDocuments({ _id: clashing.payload.messageId })).toBe(0);

    const dead = await readDeadLetters(streams.groupId, 3);
    expect(dead.map((letter) => letter.headers?.originalOffset)).toEqual(['5', '6', '7']);
    for (const letter of dead) {
      expect(letter.headers).toMatchObject({
        originalTopic: streams.messages,
        originalPartition: 0,
        consumerGroup: streams.groupId,
      });
      expect(letter.headers?.errorMessage).toBeTruthy();
    }
    expect(dead[0]!.value).toBe('{not json');
    expect(dead[2]!.headers?.errorMessage).toMatch(/clashes with another message/);
    await connection.dropDatabase();
    await connection.close();
  });

  it('a flush that fails after its write keeps its dead letters for the next commit, which may not pass them', async () => {
    const streams = await isolatedStreams(admin, 1);
    const { connection, models } = await connectModels(databaseUrl(streams.database));
    const first = Array.from({ length: 3 }, (_, index) => messageEvent('room', index));
    const later = Array.from({ length: 3 }, (_, index) => messageEvent('room', index + 3));
    const producer = kafka.producer();
    await producer.connect();
    // Offsets 0-2 good, 3 not JSON: one flush, which fails between its write and its commit.
    await producer.send({
      topic: streams.messages,
      acks: -1,
      messages: [
        ...first.map((event) => ({ key: 'room', value: serializeEvent(event) })),
        { key: 'room', value: Buffer.from('{not json') },
      ],
    });
    let failed = false;
    const subject = worker({
      models,
      groupId: streams.groupId,
      topics: [streams.messages],
      failpoint: (point) => {
        if (point !== 'after-write' || failed) return;
        failed = true;
        throw new Error('injected: the commit of this flush is lost');
      },
    });
    await subject.start();
    await waitFor('the first flush failed', () => failed && subject.health().lastError !== undefined);
    // Offsets 4-6: a later flush, whose commit passes offset 3.
    await producer.send({
      topic: streams.messages,
      acks: -1,
      messages: later.map((event) => ({ key: 'room', value: serializeEvent(event) })),
    });
    await producer.disconnect();
    await waitFor(
      'offsets committed past every record',
      async () => (await committedOffsets(streams.groupId, streams.messages)).get(0) === '7',
      { timeoutMs: 30_000 },
    );
    await subject.stop();

    expect(await models.Message.countDocuments()).toBe(6);
    const dead = await readDeadLetters(streams.groupId, 1);
    expect(dead.map((letter) => letter.headers?.originalOffset)).toEqual(['3']);
    expect(dead[0]!.value).toBe('{not json');
    await connection.dropDatabase();
    await connection.close();
  });
});
