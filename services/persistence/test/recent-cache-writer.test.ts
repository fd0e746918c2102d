import { serializeEvent, type ChatMessage } from '@chat/contracts';
import { startPrivateRedis, type PrivateServer } from '@chat/infra/private-servers';
import { RecentCache } from '@chat/recent-cache';
import { waitFor } from '@chat/testkit';
import { messageDeleted, messageEdited } from '@chat/testkit/events';
import { Redis } from 'ioredis';
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPersistence, type PersistenceApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import {
  committedToLogEnd,
  databaseUrl,
  endpoints,
  isolatedStreams,
  kafka,
  produce,
  produceMessages,
  quietLogger,
} from './support.js';

const LENGTH = 20;

/**
 * The persistence process writes the recent cache: one small group beside
 * the MongoDB worker, not a member in every gateway. Real Kafka, a private
 * Redis this file may stop, the service's own start-up.
 */
describe('the recent-cache writer in the persistence process', () => {
  let admin: Admin;
  let redis: PrivateServer;
  let reader: Redis;
  let cache: RecentCache;
  let app: PersistenceApp;
  let streams: Awaited<ReturnType<typeof isolatedStreams>>;

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    redis = await startPrivateRedis();
    reader = new Redis(redis.url, { maxRetriesPerRequest: 1, lazyConnect: true });
    reader.on('error', () => undefined);
    cache = new RecentCache(reader, LENGTH);
    streams = await isolatedStreams(admin, 2);
    app = await startPersistence(
      loadConfig({
        KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
        MONGODB_URL: databaseUrl(streams.database),
        REDIS_URL: redis.url,
        PERSISTENCE_TOPICS: `${streams.messages},${streams.receipts}`,
        PERSISTENCE_GROUP_ID: streams.groupId,
        PERSISTENCE_RECENT_CACHE_GROUP: `${streams.groupId}.recent`,
        PERSISTENCE_RECENT_CACHE_TOPIC: streams.messages,
        PERSISTENCE_RECENT_CACHE_LENGTH: String(LENGTH),
      }),
      quietLogger,
    );
  });
  afterAll(async () => {
    await app?.stop();
    reader?.disconnect();
    await redis?.dispose();
    await admin?.disconnect();
  });

  const positions = (messages: ChatMessage[]) => messages.map((message) => message.position);
  const contiguousTail = (messages: ChatMessage[], sent: string[]) =>
    messages.map((message) => message.messageId).join() === sent.slice(-messages.length).join();

  it('keeps each room’s newest messages in the room’s order, with edits and deletes applied', async () => {
    // Sent before the writer's group had read anything: a first start reads the topic from its beginning.
    const sent = await produceMessages(streams.messages, 60, ['room-a', 'room-b']);
    const [first, second] = sent.get('room-a')!.slice(-2) as [string, string];
    await produce(streams.messages, [
      { key: 'room-a', value: serializeEvent(messageEdited('room-a', first, 'fixed')) },
      { key: 'room-a', value: serializeEvent(messageDeleted('room-a', second)) },
    ]);
    await waitFor('the edit and the delete in the cache, and room-b written through', async () => {
      const [a, b] = await Promise.all([cache.read('room-a'), cache.read('room-b')]);
      return (
        a.at(-1)?.deleted === true &&
        a.at(-2)?.text === 'fixed' &&
        b.at(-1)?.messageId === sent.get('room-b')!.at(-1)
      );
    });
    for (const room of ['room-a', 'room-b']) {
      const cached = await cache.read(room);
      expect(cached).toHaveLength(LENGTH);
      expect(contiguousTail(cached, sent.get(room)!), room).toBe(true);
      expect(positions(cached)).toEqual([...positions(cached)].sort((a, b) => a - b));
    }
  });

  it('Redis stopped: the writer pauses instead of skipping, and fills the lists with no hole once Redis returns', async () => {
    await redis.stop();
    const sent = await produceMessages(streams.messages, 40, ['room-c']);
    await waitFor('the writer degraded', () => app.recentCache.health().status !== 'up', {
      timeoutMs: 30_000,
    });
    // MongoDB's writer is its own group: the outage of the cache's store holds nothing there.
    await waitFor(
      'MongoDB’s worker committed through the outage',
      () => committedToLogEnd(streams.groupId, streams.messages),
      { timeoutMs: 30_000 },
    );
    await redis.start();
    await waitFor(
      'the newest message of room-c cached',
      async () =>
        (await cache.read('room-c').catch(() => [])).at(-1)?.messageId === sent.get('room-c')!.at(-1),
      { timeoutMs: 60_000 },
    );
    const cached = await cache.read('room-c');
    expect(cached).toHaveLength(LENGTH);
    expect(contiguousTail(cached, sent.get('room-c')!)).toBe(true);
    await waitFor('the writer up again', () => app.recentCache.health().status === 'up', {
      timeoutMs: 30_000,
    });
  });
});
