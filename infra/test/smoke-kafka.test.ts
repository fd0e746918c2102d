import { Kafka, logLevel, type Admin } from 'kafkajs';
import { ensureTopics } from '@chat/base-listener';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointsFromEnv } from '@chat/runtime';
import { uniqueName, waitFor } from '@chat/testkit';

const { kafkaBrokers } = endpointsFromEnv();
const kafka = new Kafka({ clientId: 'smoke', brokers: kafkaBrokers, logLevel: logLevel.NOTHING });

describe('KafkaJS against the real broker', () => {
  let admin: Admin;
  const topic = uniqueName('smoke-rooms');
  const groupId = uniqueName('smoke-group');
  const rooms = ['room-a', 'room-b', 'room-c'];
  const perRoom = 20;

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [{ name: topic, partitions: 3, config: {} }]);
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: perRoom }, (_, seq) =>
        rooms.map((room) => ({ key: room, value: `${room}:${seq}` })),
      ).flat(),
    });
    await producer.disconnect();
  });

  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  async function consumeAll(expected: number) {
    const seen: string[] = [];
    const consumer = kafka.consumer({ groupId, sessionTimeout: 6000, heartbeatInterval: 500 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        await consumer.commitOffsets([{ topic, partition, offset: String(Number(message.offset) + 1) }]);
        seen.push(message.value!.toString());
      },
    });
    if (expected > 0) await waitFor(`${expected} messages`, () => seen.length >= expected);
    else await new Promise((resolve) => setTimeout(resolve, 1500));
    await consumer.disconnect();
    return seen;
  }

  it('keeps per-room order on a room-keyed topic and commits offsets manually', async () => {
    const seen = await consumeAll(rooms.length * perRoom);
    for (const room of rooms) {
      const sequence = seen
        .filter((value) => value.startsWith(`${room}:`))
        .map((value) => Number(value.split(':')[1]));
      expect(sequence).toEqual(Array.from({ length: perRoom }, (_, index) => index));
    }
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const logEnd = await admin.fetchTopicOffsets(topic);
    for (const { partition, high } of logEnd.filter((entry) => entry.high !== '0')) {
      expect(committed!.partitions.find((entry) => entry.partition === partition)?.offset).toBe(high);
    }
  });

  it('resumes after the committed offsets: a restarted consumer re-reads nothing', async () => {
    expect(await consumeAll(0)).toEqual([]);
  });
});
