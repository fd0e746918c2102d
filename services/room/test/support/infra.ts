import { createTokenService } from '@chat/auth';
import { ensureTopics } from '@chat/base-listener';
import { endpointsFromEnv } from '@chat/runtime';
import { waitFor } from '@chat/testkit';
import { kafkaKit } from '@chat/testkit/kafka';
import { testMongoUrl as mongoUrlFor } from '@chat/testkit/mongo';
import { roomConfigFromEnv, type RoomConfig } from '../../src/config.js';

export const endpoints = endpointsFromEnv();

/** A database of its own per test file, on the configured MongoDB-wire server. */
export function testMongoUrl(): string {
  return mongoUrlFor(endpoints.mongoUrl, 'room_test');
}

export { dropDatabase } from '@chat/testkit/mongo';

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

const kit = kafkaKit({ brokers: endpoints.kafkaBrokers, clientId: 'room-tests', ensureTopics });
export const { recordCount } = kit;

/** A fresh topic (auto topic creation is off on the platform's brokers). */
export async function createTopic(partitions = 3): Promise<string> {
  return kit.createTopic('room-events-test', partitions);
}

export async function deleteTopic(topic: string): Promise<void> {
  await kit.deleteTopics([topic]);
}

export interface ReadRecord {
  partition: number;
  offset: string;
  key: string | undefined;
  event: { eventId: string; type: string; idempotencyKey: string; payload: Record<string, unknown> };
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
  const records = await kit.readTopic(topic, { timeoutMs });
  return records.map(({ partition, offset, key, value }) => ({
    partition,
    offset,
    key,
    event: JSON.parse(value!.toString()) as ReadRecord['event'],
  }));
}
