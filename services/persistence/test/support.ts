import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import { createEvent, serializeEvent } from '@chat/contracts';
import { ensureTopics } from '@chat/base-listener';
import { createLogger, endpointsFromEnv, type Logger } from '@chat/runtime';
import { uniqueName } from '@chat/testkit';
import { chatModels, type ChatModels } from '@chat/message-store';
import { PersistenceWorker, type PersistenceWorkerOptions } from '../src/worker/persistence-worker.js';

export const endpoints = endpointsFromEnv();
export const kafka = new Kafka({
  clientId: 'persistence-test',
  brokers: endpoints.kafkaBrokers,
  logLevel: logLevel.NOTHING,
});
export const quietLogger: Logger = createLogger('persistence-test', 'warn');

/** A fresh topic pair, group and database per test, so tests never see each other's records. */
export async function isolatedStreams(admin: Admin, partitions = 3) {
  const messages = uniqueName('messages');
  const receipts = uniqueName('receipts');
  await ensureTopics(
    admin,
    [messages, receipts].map((name) => ({ name, partitions, config: {} })),
  );
  return {
    messages,
    receipts,
    groupId: uniqueName('persistence'),
    database: uniqueName('persist').replaceAll('-', '_'),
  };
}

export function databaseUrl(database: string, base = endpoints.mongoUrl): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function connectModels(url: string): Promise<{ connection: Connection; models: ChatModels }> {
  const connection = await mongoose.createConnection(url, { serverSelectionTimeoutMS: 5000 }).asPromise();
  const models = chatModels(connection);
  await Promise.all([models.Message.createIndexes(), models.Receipt.createIndexes()]);
  return { connection, models };
}

export function messageEvent(roomId: string, index: number, messageId = randomUUID()) {
  return createEvent(
    'chat.message.sent',
    {
      messageId,
      roomId,
      senderId: 'alice',
      clientMessageId: `client-${index}`,
      text: `message ${index}`,
      sentAt: new Date().toISOString(),
    },
    { correlationId: `corr-${index}` },
  );
}

/**
 * Produces `count` messages spread over `rooms`, keyed by room, `perSend` per
 * request (a request's records form one record batch, which a fetch returns
 * whole); returns the ids in send order per room.
 */
export async function produceMessages(
  topic: string,
  count: number,
  rooms: string[],
  perSend = 500,
): Promise<Map<string, string[]>> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const sent = new Map<string, string[]>(rooms.map((room) => [room, []]));
  const events = Array.from({ length: count }, (_, index) => {
    const room = rooms[index % rooms.length]!;
    const event = messageEvent(room, index);
    sent.get(room)!.push(event.payload.messageId);
    return { key: room, value: serializeEvent(event) };
  });
  for (let start = 0; start < events.length; start += perSend) {
    await producer.send({ topic, acks: -1, messages: events.slice(start, start + perSend) });
  }
  await producer.disconnect();
  return sent;
}

export function worker(
  options: Partial<PersistenceWorkerOptions> &
    Pick<PersistenceWorkerOptions, 'models' | 'groupId' | 'topics'>,
) {
  return new PersistenceWorker({
    kafka,
    logger: quietLogger,
    flushMaxEvents: 1000,
    flushIntervalMs: 100,
    bufferMaxEvents: 5000,
    retryInitialDelayMs: 100,
    retryMaxDelayMs: 1000,
    sessionTimeoutMs: 6000,
    ...options,
  });
}

export async function committedOffsets(
  admin: Admin,
  groupId: string,
  topic: string,
): Promise<Map<number, string>> {
  const [result] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return new Map(result!.partitions.map(({ partition, offset }) => [partition, offset]));
}

/** True when the group's committed offset is at the log end on every partition that holds records. */
export async function committedToLogEnd(admin: Admin, groupId: string, topic: string): Promise<boolean> {
  const committed = await committedOffsets(admin, groupId, topic);
  const logEnd = await admin.fetchTopicOffsets(topic);
  return logEnd.every(({ partition, high }) => high === '0' || committed.get(partition) === high);
}
