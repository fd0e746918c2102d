import { randomBytes } from 'node:crypto';
import { createKafka } from '@chat/base-listener';
import { createLogger, endpointsFromEnv } from '@chat/runtime';
import { uniqueName } from '@chat/testkit';
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type PrivateKafka, startPrivateKafka } from '../src/private-servers.js';

const logger = createLogger('kafka-sasl-test', 'silent');
const username = 'chat-platform';
const password = randomBytes(18).toString('base64url');

/** What a pod of the prod overlay gets (k8s/overlays/prod), pointed at the private broker's SCRAM listener. */
const envFor = (url: string, secret: string): NodeJS.ProcessEnv => ({
  KAFKA_BROKERS: url,
  KAFKA_SASL_MECHANISM: 'scram-sha-512',
  KAFKA_SASL_USERNAME: username,
  KAFKA_SASL_PASSWORD: secret,
});

async function roundTrip(kafka: Kafka): Promise<string[]> {
  const topic = uniqueName('sasl-round-trip');
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] });
  await admin.disconnect();
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  await producer.send({ topic, acks: -1, messages: [{ value: 'through SCRAM' }] });
  await producer.disconnect();
  const groupId = uniqueName('sasl-reader');
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const received: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('nothing consumed through the SCRAM listener')), 30_000);
    void consumer
      .run({
        eachMessage: async ({ message }) => {
          received.push(message.value!.toString());
          clearTimeout(timer);
          resolve();
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return received;
}

describe('Kafka SASL/SCRAM from configuration', () => {
  let broker: PrivateKafka;
  beforeAll(async () => {
    broker = await startPrivateKafka({ scramUsers: [{ username, password }] });
  }, 120_000);
  afterAll(async () => {
    vi.unstubAllEnvs();
    await broker?.dispose();
  });

  it('a client built from the env settings produces and consumes through the SCRAM-SHA-512 listener', async () => {
    const endpoints = endpointsFromEnv(envFor(broker.scramUrl!, password));
    expect(endpoints.kafkaSecurity.sasl?.mechanism).toBe('scram-sha-512');
    const kafka = createKafka({
      brokers: endpoints.kafkaBrokers,
      clientId: 'sasl-test',
      logger,
      security: endpoints.kafkaSecurity,
    });
    expect(await roundTrip(kafka)).toEqual(['through SCRAM']);
  }, 60_000);

  it("every client of the kit takes the process's settings when it is given none", async () => {
    for (const [name, value] of Object.entries(envFor(broker.scramUrl!, password))) vi.stubEnv(name, value!);
    try {
      const kafka = createKafka({ brokers: [broker.scramUrl!], clientId: 'sasl-test-default', logger });
      expect(await roundTrip(kafka)).toEqual(['through SCRAM']);
    } finally {
      vi.unstubAllEnvs();
    }
  }, 60_000);

  it('wrong credentials fail with a clear authentication error that does not echo them', async () => {
    const wrong = `${password}-wrong`;
    const endpoints = endpointsFromEnv(envFor(broker.scramUrl!, wrong));
    const admin = createKafka({
      brokers: endpoints.kafkaBrokers,
      clientId: 'sasl-test-wrong',
      logger,
      security: endpoints.kafkaSecurity,
    }).admin();
    const failure = await admin.connect().then(
      () => undefined,
      (error: Error) => error,
    );
    await admin.disconnect();
    expect(failure?.name).toBe('KafkaJSSASLAuthenticationError');
    expect(failure?.message).toMatch(/SASL SCRAM SHA512 authentication failed/);
    expect(failure?.message).not.toContain(wrong);
  }, 60_000);
});
