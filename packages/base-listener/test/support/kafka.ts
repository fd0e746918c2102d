import { type EventOf, createEvent } from '@chat/contracts';
import { endpointsFromEnv } from '@chat/runtime';
import { uniqueName } from '@chat/testkit';
import { type Admin, type IHeaders, Kafka, Partitioners, logLevel } from 'kafkajs';
import { pino } from 'pino';
import { caughtUp } from '../../src/kafka/catch-up.js';
import { decodeHeaders } from '../../src/kafka/record.js';
import { ensureTopics } from '../../src/kafka/topics.js';

export const endpoints = endpointsFromEnv();
/** Set TEST_LOG_LEVEL=debug to see the listeners' logs. */
export const testLogger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

export const kafka = new Kafka({
  clientId: 'base-listener-tests',
  brokers: endpoints.kafkaBrokers,
  logLevel: logLevel.NOTHING,
});

export async function withAdmin<T>(work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

/** A fresh topic per test: auto creation is off on the broker. */
export async function createTopic(prefix: string, partitions = 1): Promise<string> {
  const topic = uniqueName(prefix);
  await withAdmin((admin) => ensureTopics(admin, [{ name: topic, partitions, config: {} }]));
  return topic;
}

export interface RawRecord {
  key: string;
  value: Buffer | string;
  headers?: Record<string, string>;
  partition?: number;
}

export async function produce(topic: string, records: readonly RawRecord[]): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: records.map((record) => ({ ...record })) });
  } finally {
    await producer.disconnect();
  }
}

export interface ReadRecord {
  partition: number;
  offset: string;
  key: string | undefined;
  value: Buffer | null;
  headers: Record<string, string>;
}

/** Everything in `topic` up to its current end, as a separate reader sees it. */
export async function readTopic(
  topic: string,
  options: { readUncommitted?: boolean } = {},
): Promise<ReadRecord[]> {
  const ends = await withAdmin(async (admin) => {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(
      offsets.filter((o) => Number(o.high) > Number(o.low)).map((o) => [o.partition, Number(o.high)]),
    );
  });
  const records: ReadRecord[] = [];
  if (ends.size === 0) return records;
  const consumer = kafka.consumer({
    groupId: uniqueName('reader'),
    readUncommitted: options.readUncommitted ?? false,
    maxWaitTimeInMs: 500,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    const done = caughtUp(consumer, ends, 20_000, topic);
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          records.push({
            partition: batch.partition,
            offset: message.offset,
            key: message.key?.toString(),
            value: message.value,
            headers: decodeHeaders(message.headers as IHeaders),
          });
        }
      },
    });
    await done;
  } finally {
    await consumer.disconnect();
  }
  return records;
}

/** The group's committed offset per partition of `topic` (-1: nothing committed), read back from the broker. */
export async function committedOffsets(groupId: string, topic: string): Promise<number[]> {
  return withAdmin(async (admin) => {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return (offsets?.partitions ?? []).sort((a, b) => a.partition - b.partition).map((p) => Number(p.offset));
  });
}

export async function totalCommitted(groupId: string, topic: string): Promise<number> {
  return (await committedOffsets(groupId, topic)).reduce((sum, offset) => sum + Math.max(0, offset), 0);
}

let counter = 0;

/** A valid message event for `roomId`; its idempotency key is its message id. */
export function messageEvent(roomId: string, text = 'hello'): EventOf<'chat.message.sent'> {
  counter += 1;
  const messageId = uniqueName(`m${counter}`);
  return createEvent(
    'chat.message.sent',
    {
      messageId,
      roomId,
      senderId: 'alice',
      clientMessageId: `c-${messageId}`,
      text,
      sentAt: new Date().toISOString(),
    },
    { correlationId: uniqueName('corr'), idempotencyKey: messageId },
  );
}

/** A record carrying `event` the way the Publisher sends it. */
export function recordOf(event: EventOf<'chat.message.sent'>, headers?: Record<string, string>): RawRecord {
  return { key: event.payload.roomId, value: JSON.stringify(event), ...(headers ? { headers } : {}) };
}
