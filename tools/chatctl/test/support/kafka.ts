import { type HandlerContext, Listener, ensureTopics } from '@chat/base-listener';
import { type AnyEvent, type EventOf, createEvent } from '@chat/contracts';
import { endpointsFromEnv } from '@chat/runtime';
import { uniqueName, waitFor } from '@chat/testkit';
import { type Admin, Kafka, Partitioners, logLevel } from 'kafkajs';
import { pino } from 'pino';
import { Registry } from 'prom-client';

export const endpoints = endpointsFromEnv();
const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const kafka = new Kafka({
  clientId: 'chatctl-tests',
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

export async function createTopic(prefix: string): Promise<string> {
  const topic = uniqueName(prefix);
  await withAdmin((admin) => ensureTopics(admin, [{ name: topic, partitions: 1, config: {} }]));
  return topic;
}

export function messageEvent(roomId: string): EventOf<'chat.message.sent'> {
  const messageId = uniqueName('m');
  return createEvent(
    'chat.message.sent',
    {
      messageId,
      roomId,
      senderId: 'alice',
      clientMessageId: `c-${messageId}`,
      text: 'hi',
      sentAt: new Date().toISOString(),
    },
    { correlationId: uniqueName('corr'), idempotencyKey: messageId },
  );
}

export async function produce(topic: string, event: AnyEvent): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    await producer.send({
      topic,
      acks: -1,
      messages: [
        { key: event.payload.roomId, value: JSON.stringify(event), headers: { 'x-origin': 'test' } },
      ],
    });
  } finally {
    await producer.disconnect();
  }
}

export interface SeenRecord {
  offset: string;
  value: string;
  headers: Record<string, string>;
}

/** What a fresh consumer group finds on `topic` from its start, once `count` records are there. */
export async function consume(topic: string, count: number): Promise<SeenRecord[]> {
  const seen: SeenRecord[] = [];
  const consumer = kafka.consumer({ groupId: uniqueName('observer'), maxWaitTimeInMs: 200 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(message.headers ?? {})) headers[name] = String(value);
        seen.push({ offset: message.offset, value: message.value?.toString() ?? '', headers });
      },
    });
    await waitFor(`${count} records on ${topic}`, () => seen.length >= count);
    return seen;
  } finally {
    await consumer.disconnect();
  }
}

/** A real kit listener whose downstream rejects every event: each one ends in the group's DLQ. */
export class RejectingListener extends Listener {
  protected override async handle(_event: AnyEvent, _context: HandlerContext): Promise<void> {
    throw new Error('downstream rejected the event');
  }
}

export function rejectingListener(topic: string, groupId: string): RejectingListener {
  return new RejectingListener({
    groupId,
    topics: [topic],
    brokers: endpoints.kafkaBrokers,
    logger,
    registry: new Registry(),
    lagIntervalMs: 0,
    sessionTimeoutMs: 10_000,
    heartbeatIntervalMs: 1_000,
    transactionalId: uniqueName('tx'),
    retry: { mode: 'blocking', maxAttempts: 2, initialDelayMs: 20 },
    idempotency: { redis: endpoints.redisUrl },
  });
}

/**
 * Starts a listener, retrying when its start trips over a topic it just
 * created whose leader is not elected yet (the kit's start reads its new
 * processed topic's offsets at once; reported to the base-listener owners).
 */
export async function startListener(listener: Listener): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await listener.start();
    } catch (error) {
      const notLeader = (error as { type?: string }).type === 'NOT_LEADER_FOR_PARTITION';
      if (!notLeader || attempt === 3) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
