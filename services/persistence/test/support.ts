import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Admin } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import { serializeEvent } from '@chat/contracts';
import { ensureTopics } from '@chat/base-listener';
import { createLogger, endpointsFromEnv, type Logger } from '@chat/runtime';
import { uniqueName } from '@chat/testkit';
import { messageSent } from '@chat/testkit/events';
import { kafkaKit } from '@chat/testkit/kafka';
import { TsChild } from '@chat/testkit/child';
import { databaseUrl as urlOf } from '@chat/testkit/mongo';
import { chatModels, type ChatModels } from '@chat/message-store';
import { PersistenceWorker, type PersistenceWorkerOptions } from '../src/worker/persistence-worker.js';

export const endpoints = endpointsFromEnv();
const kit = kafkaKit({ brokers: endpoints.kafkaBrokers, clientId: 'persistence-test', ensureTopics });
export const { kafka, committedToLogEnd, produce } = kit;
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
  return urlOf(base, database);
}

export async function connectModels(url: string): Promise<{ connection: Connection; models: ChatModels }> {
  const connection = await mongoose.createConnection(url, { serverSelectionTimeoutMS: 5000 }).asPromise();
  const models = chatModels(connection);
  await Promise.all([
    models.Message.createIndexes(),
    models.Receipt.createIndexes(),
    models.Change.createIndexes(),
  ]);
  return { connection, models };
}

/** The `index`-th message of a test; its idempotency key is left to default to its event id. */
export function messageEvent(roomId: string, index: number, messageId = randomUUID()) {
  return messageSent(
    roomId,
    { messageId, clientMessageId: `client-${index}`, text: `message ${index}` },
    { correlationId: `corr-${index}`, idempotencyKey: undefined },
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
  const sent = new Map<string, string[]>(rooms.map((room) => [room, []]));
  const events = Array.from({ length: count }, (_, index) => {
    const room = rooms[index % rooms.length]!;
    const event = messageEvent(room, index);
    sent.get(room)!.push(event.payload.messageId);
    return { key: room, value: serializeEvent(event) };
  });
  await kit.produce(topic, events, { perSend });
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

/** The group's committed offset per partition of `topic`, as the broker spells it. */
export async function committedOffsets(groupId: string, topic: string): Promise<Map<number, string>> {
  const offsets = await kit.committedOffsets(groupId, topic);
  return new Map(offsets.map((offset, partition) => [partition, String(offset)]));
}

const serviceDir = fileURLToPath(new URL('..', import.meta.url));

/** Runs the real service in its own process; resolves with its exit signal or code. */
/** The service as its own process; its recent-cache writer gets a group and topic of this test's own. */
export function runService(
  env: Record<string, string> & { PERSISTENCE_GROUP_ID: string; PERSISTENCE_TOPICS: string },
) {
  const child = new TsChild('src/main.ts', {
    cwd: serviceDir,
    env: {
      LOG_LEVEL: 'warn',
      PERSISTENCE_HTTP_PORT: '0',
      PERSISTENCE_RECENT_CACHE_GROUP: `${env.PERSISTENCE_GROUP_ID}.recent`,
      PERSISTENCE_RECENT_CACHE_TOPIC: env.PERSISTENCE_TOPICS.split(',')[0]!,
      ...env,
    },
  });
  const exited = child.exited.then(({ code, signal }) => signal ?? String(code));
  return { child, exited };
}
