import mongoose from 'mongoose';
import { Kafka, logLevel } from 'kafkajs';
import { createTokenService } from '@chat/auth';
import { ensureTopics } from '@chat/base-listener';
import { endpointsFromEnv } from '@chat/runtime';
import { uniqueName, waitFor } from '@chat/testkit';
import { roomConfigFromEnv, type RoomConfig } from '../../src/config.js';

export const endpoints = endpointsFromEnv();

/** A database of its own per test file, on the configured MongoDB-wire server. */
export function testMongoUrl(): string {
  const url = new URL(endpoints.mongoUrl);
  url.pathname = `/${uniqueName('room_test').replace(/-/g, '_')}`;
  return url.toString();
}

export async function dropDatabase(mongoUrl: string): Promise<void> {
  const connection = await mongoose.createConnection(mongoUrl).asPromise();
  await connection.dropDatabase();
  await connection.close();
}

/** The environment a room process gets in tests: fast ticks and short leases, dev sign-in on. */
export function testEnv(
  mongoUrl: string,
  topic: string,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
    MONGODB_URL: mongoUrl,
    REDIS_URL: endpoints.redisUrl,
    NODE_ENV: 'test',
    AUTH_DEV_SIGNIN: 'true',
    ROOM_EVENTS_TOPIC: topic,
    DISPATCH_TICK_MS: '50',
    DISPATCH_LEASE_MS: '3000',
    DISPATCH_BACKOFF_BASE_MS: '50',
    DISPATCH_BACKOFF_MAX_MS: '500',
    SAGA_LEASE_MS: '2000',
    SAGA_RECOVERY_INTERVAL_MS: '200',
    LOG_LEVEL: 'warn',
    ...overrides,
  };
}

export function testConfig(
  mongoUrl: string,
  topic: string,
  overrides: Record<string, string> = {},
): RoomConfig {
  return roomConfigFromEnv(testEnv(mongoUrl, topic, overrides));
}

export async function tokenFor(config: RoomConfig, userId: string): Promise<string> {
  return createTokenService(config.auth).mintDevToken({ userId, name: userId });
}

const kafka = new Kafka({
  clientId: 'room-tests',
  brokers: endpoints.kafkaBrokers,
  logLevel: logLevel.NOTHING,
});

/** A fresh topic (auto topic creation is off on the platform's brokers). */
export async function createTopic(partitions = 3): Promise<string> {
  const topic = uniqueName('room-events-test');
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureTopics(admin, [{ name: topic, partitions, config: {} }]);
  } finally {
    await admin.disconnect();
  }
  return topic;
}

export async function deleteTopic(topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
}

export interface ReadRecord {
  partition: number;
  offset: string;
  key: string | undefined;
  event: { eventId: string; type: string; idempotencyKey: string; payload: Record<string, unknown> };
}

/** Records on the topic, according to the brokers' high watermarks. */
export async function recordCount(topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, partition) => sum + Number(partition.high) - Number(partition.low), 0);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Everything on the topic, read back from the brokers once they hold at
 * least `atLeast` records: an assertion on broker state, not on callbacks.
 */
export async function readTopic(topic: string, atLeast: number, timeoutMs = 30_000): Promise<ReadRecord[]> {
  await waitFor(`${atLeast} records on ${topic}`, async () => (await recordCount(topic)) >= atLeast, {
    timeoutMs,
    intervalMs: 200,
  });
  const admin = kafka.admin();
  await admin.connect();
  const high = new Map(
    (await admin.fetchTopicOffsets(topic)).map((partition) => [partition.partition, Number(partition.high)]),
  );
  await admin.disconnect();
  const records: ReadRecord[] = [];
  const consumer = kafka.consumer({ groupId: uniqueName('room-tests-reader'), maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const done = new Set<number>([...high].filter(([, end]) => end === 0).map(([partition]) => partition));
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      records.push({
        partition,
        offset: message.offset,
        key: message.key?.toString(),
        event: JSON.parse(message.value!.toString()) as ReadRecord['event'],
      });
      if (Number(message.offset) + 1 >= (high.get(partition) ?? 0)) done.add(partition);
    },
  });
  await waitFor(`reading ${topic} to its end`, () => done.size === high.size, { timeoutMs });
  await consumer.disconnect();
  return records.sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset));
}
