import { randomUUID } from 'node:crypto';
import { Publisher, ensureTopics } from '@chat/base-listener';
import { createEvent, parseEvent } from '@chat/contracts';
import { freePort, startPrivateKafka, type PrivateServer } from '@chat/infra/private-servers';
import { startToxiproxy, type PrivateToxiproxy } from '@chat/infra/toxiproxy';
import { createLogger } from '@chat/runtime';
import { uniqueName, waitFor } from '@chat/testkit';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PROXY = 'kafka-publisher';
const ROOM = 'room-1';

const message = (text: string) =>
  createEvent(
    'chat.message.sent',
    {
      messageId: randomUUID(),
      roomId: ROOM,
      senderId: 'alice',
      clientMessageId: randomUUID(),
      text,
      sentAt: new Date().toISOString(),
    },
    { correlationId: randomUUID() },
  );

/**
 * A produce request that reaches the broker but whose answer is lost: KafkaJS
 * fails the send and rolls its idempotent sequence back, though the broker
 * appended the batch. A next batch of the same size under the same producer
 * id would carry the same sequence numbers, and the broker would acknowledge
 * it as a duplicate without storing it: an acked message lost.
 */
describe('Publisher after a send whose answer was lost', () => {
  let toxiproxy: PrivateToxiproxy;
  let kafka: PrivateServer;
  let directBrokers: string[];
  let proxiedBrokers: string[];

  beforeAll(async () => {
    toxiproxy = await startToxiproxy();
    const [kafkaPort, proxyPort] = [await freePort(), await freePort()];
    await toxiproxy.client.createProxy(PROXY, `127.0.0.1:${proxyPort}`, `127.0.0.1:${kafkaPort}`);
    kafka = await startPrivateKafka({ port: kafkaPort, advertisedPort: proxyPort });
    directBrokers = [`127.0.0.1:${kafkaPort}`];
    proxiedBrokers = [`127.0.0.1:${proxyPort}`];
  }, 120_000);

  afterAll(async () => {
    await kafka?.dispose();
    await toxiproxy?.stop();
  });

  it('stores the next message instead of acknowledging it as a duplicate', async () => {
    const client = new Kafka({
      clientId: 'lost-answer-test',
      brokers: directBrokers,
      logLevel: logLevel.NOTHING,
    });
    const admin = client.admin();
    await admin.connect();
    const topic = uniqueName('lost-answer');
    await ensureTopics(admin, [{ name: topic, partitions: 1, config: {} }]);

    const publisher = new Publisher({
      brokers: proxiedBrokers,
      clientId: 'lost-answer',
      logger: createLogger('lost-answer-test', 'fatal'),
      retries: 1,
    });
    await publisher.connect();
    const first = message('first');
    const unanswered = message('unanswered');
    const next = message('next');
    try {
      await publisher.publish(first, { topic });
      // Requests still reach the broker; its answers never come back, and the connection closes after 1 s.
      await toxiproxy.client.addToxic(PROXY, {
        name: 'answers-lost',
        type: 'timeout',
        stream: 'downstream',
        attributes: { timeout: 1_000 },
      });
      await expect(publisher.publish(unanswered, { topic })).rejects.toThrow();
      await toxiproxy.client.removeToxic(PROXY, 'answers-lost');
      await publisher.publish(next, { topic });
    } finally {
      await publisher.disconnect();
    }

    const high = Number((await admin.fetchTopicOffsets(topic))[0]!.high);
    await admin.disconnect();
    const stored = new Set<string>();
    let read = 0;
    const consumer = client.consumer({ groupId: uniqueName('lost-answer-reader') });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message: record }) => {
        read += 1;
        stored.add(parseEvent(record.value!).eventId);
      },
    });
    await waitFor(`all ${high} records read`, () => read >= high, { timeoutMs: 30_000 });
    await consumer.disconnect();
    expect(stored.has(first.eventId)).toBe(true);
    expect(stored.has(next.eventId)).toBe(true);
  }, 120_000);
});
