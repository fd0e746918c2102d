// Telemetry first, as in every service's main.ts: the global tracer provider every span below reaches.
import { startInMemoryTelemetry } from '@chat/telemetry/testing';
import { createTokenService } from '@chat/auth';
import { ensureTopics } from '@chat/base-listener';
import { createGateway, chatConfigFromEnv, type Gateway } from '@chat/chat';
import type { ClientToServerEvents, SendAck, ServerToClientEvents } from '@chat/contracts';
import { startPersistence, type PersistenceApp } from '@chat/persistence/app';
import { loadConfig as persistenceConfigFromEnv } from '@chat/persistence/config';
import { ATTR_CORRELATION_ID, ATTR_DB_SYSTEM_NAME, ATTR_MESSAGE_ID } from '@chat/telemetry';
import { createLogger, endpointsFromEnv } from '@chat/runtime';
import { uniqueName, waitFor } from '@chat/testkit';
import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Kafka, logLevel } from 'kafkajs';
import mongoose from 'mongoose';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The context manager the gateway runs with: the trace below must not depend on contexts following awaits.
const { exporter, telemetry } = startInMemoryTelemetry('tracing-test', { contextPropagation: 'synchronous' });
const endpoints = endpointsFromEnv();
const logger = createLogger('tracing-test', process.env.TEST_LOG_LEVEL ?? 'silent');
const kafka = new Kafka({
  clientId: 'tracing-test',
  brokers: endpoints.kafkaBrokers,
  logLevel: logLevel.NOTHING,
});

const messagesTopic = uniqueName('trace-messages');
const receiptsTopic = uniqueName('trace-receipts');
const persistenceGroup = uniqueName('trace-persistence');
const deliveryPrefix = uniqueName('trace-gateway');
const recentGroup = uniqueName('trace-recent');
const roomId = uniqueName('room');
const mongoUrl = (() => {
  const url = new URL(endpoints.mongoUrl);
  url.pathname = `/${uniqueName('trace').replaceAll('-', '_')}`;
  return url.toString();
})();
const env = {
  KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
  MONGODB_URL: mongoUrl,
  REDIS_URL: endpoints.redisUrl,
  NODE_ENV: 'test',
  AUTH_DEV_SIGNIN: 'true',
  CHAT_INSTANCE_ID: uniqueName('gw'),
  CHAT_MESSAGES_TOPIC: messagesTopic,
  CHAT_RECEIPTS_TOPIC: receiptsTopic,
  CHAT_PERSISTENCE_GROUP: persistenceGroup,
  CHAT_DELIVERY_GROUP_PREFIX: deliveryPrefix,
  CHAT_BACKUP_KEY: uniqueName('chat:backup:trace'),
  PERSISTENCE_TOPICS: `${messagesTopic},${receiptsTopic}`,
  PERSISTENCE_GROUP_ID: persistenceGroup,
  PERSISTENCE_RECENT_CACHE_GROUP: recentGroup,
  PERSISTENCE_RECENT_CACHE_TOPIC: messagesTopic,
  PERSISTENCE_FLUSH_INTERVAL_MS: '50',
  PERSISTENCE_SESSION_TIMEOUT_MS: '6000',
};

let gateway: Gateway;
let persistence: PersistenceApp;
let client: Socket<ServerToClientEvents, ClientToServerEvents>;
let connection: mongoose.Connection;

beforeAll(async () => {
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(
    admin,
    [messagesTopic, receiptsTopic].map((name) => ({ name, partitions: 3, config: {} })),
  );
  await admin.disconnect();
  connection = await mongoose.createConnection(mongoUrl).asPromise();

  const chatConfig = chatConfigFromEnv(env);
  gateway = createGateway(chatConfig, {
    logger,
    membership: {
      isMember: async (room, userId) => room === roomId && userId === 'alice',
      sendAccess: async (room, userId) => (room === roomId && userId === 'alice' ? 'allowed' : 'not-member'),
      membersOf: async (room) => (room === roomId ? ['alice'] : []),
      mayModerate: async () => false,
    },
  });
  await gateway.start();
  const port = await gateway.listen(0, '127.0.0.1');
  persistence = await startPersistence(persistenceConfigFromEnv(env), logger);

  const token = await createTokenService(chatConfig.auth).mintDevToken({ userId: 'alice', name: 'Alice' });
  client = connect(`http://127.0.0.1:${port}`, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', resolve);
    client.once('connect_error', reject);
  });
  const joined = await client.emitWithAck('resume', { rooms: [{ roomId }] });
  expect(joined).toEqual({ rooms: [{ roomId, online: ['alice'] }] });
});

afterAll(async () => {
  client?.disconnect();
  await gateway?.stop();
  await persistence?.stop();
  await connection?.dropDatabase().catch(() => undefined);
  await connection?.close();
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [messagesTopic, receiptsTopic] }).catch(() => undefined);
  await admin.disconnect();
  await telemetry.shutdown();
});

const inTrace = (traceId: string) =>
  exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe('one trace per message', () => {
  it('runs from the socket send through Kafka to the MongoDB write and the delivery, correlated', async () => {
    const delivered = new Promise((resolve) => client.once('message', resolve));
    const ack: SendAck = await client.emitWithAck('send', {
      roomId,
      clientMessageId: uniqueName('c'),
      text: 'traced hello',
    });
    if (!('messageId' in ack)) throw new Error(`send refused: ${JSON.stringify(ack)}`);
    expect(ack.status).toBe('accepted');
    await delivered;

    const send = exporter
      .getFinishedSpans()
      .find((span) => span.name === 'socket send' && span.attributes[ATTR_MESSAGE_ID] === ack.messageId)!;
    expect(send.kind).toBe(SpanKind.SERVER);
    expect(send.attributes).toMatchObject({ 'chat.room_id': roomId, 'chat.user_id': 'alice' });
    const traceId = send.spanContext().traceId;
    const correlationId = send.attributes[ATTR_CORRELATION_ID];
    expect(correlationId).toEqual(expect.any(String));

    const stored = await waitFor(
      'the stored message',
      async () =>
        (await connection.collection('messages').findOne({ _id: ack.messageId as never })) ?? undefined,
    );
    expect(stored.correlationId).toBe(correlationId);

    const consumedBy = (group: string) => (span: ReadableSpan) =>
      span.kind === SpanKind.CONSUMER && span.attributes['messaging.consumer.group.name'] === group;
    const spans = await waitFor('the persistence, delivery and recent-cache spans', () => {
      const found = inTrace(traceId);
      const ready =
        found.some(consumedBy(persistenceGroup)) &&
        found.some(
          (span) => span.kind === SpanKind.CLIENT && span.attributes[ATTR_DB_SYSTEM_NAME] === 'mongodb',
        ) &&
        found.some(consumedBy(`${deliveryPrefix}.${env.CHAT_INSTANCE_ID}`)) &&
        found.some(consumedBy(recentGroup));
      return ready && found;
    });

    const publish = spans.find((span) => span.kind === SpanKind.PRODUCER)!;
    const persisted = spans.find(consumedBy(persistenceGroup))!;
    const write = spans.find((span) => span.kind === SpanKind.CLIENT)!;
    const delivery = spans.find(consumedBy(`${deliveryPrefix}.${env.CHAT_INSTANCE_ID}`))!;
    const recent = spans.find(consumedBy(recentGroup))!;

    // One tree: send → publish → each consumer; the write inside the persistence consumer's span.
    expect(parentOf(publish)).toBe(send.spanContext().spanId);
    for (const consumer of [persisted, delivery, recent])
      expect(parentOf(consumer)).toBe(publish.spanContext().spanId);
    expect(parentOf(write)).toBe(persisted.spanContext().spanId);
    expect(publish.attributes['messaging.destination.name']).toBe(messagesTopic);
    expect(write.attributes).toMatchObject({
      'db.collection.name': 'messages',
      'db.namespace': new URL(mongoUrl).pathname.slice(1),
      'db.operation.name': 'bulkWrite',
      'chat.write.outcome': 'stored',
    });
    // The write ends before the event's consumer span, which ends once its offset is committed.
    expect(write.endTime[0] * 1e9 + write.endTime[1]).toBeLessThanOrEqual(
      persisted.endTime[0] * 1e9 + persisted.endTime[1],
    );

    // The bulk write's own span sits in no one message's trace; the write span links to it.
    const flush = exporter
      .getFinishedSpans()
      .find(
        (span) =>
          span.name === 'persistence flush' &&
          span.links.some((link) => link.context.spanId === persisted.spanContext().spanId),
      )!;
    expect(write.links.map((link) => link.context.spanId)).toContain(flush.spanContext().spanId);
    expect(flush.spanContext().traceId).not.toBe(traceId);

    for (const span of [send, publish, persisted, write, delivery, recent])
      expect(span.attributes[ATTR_CORRELATION_ID], span.name).toBe(correlationId);
  });
});
