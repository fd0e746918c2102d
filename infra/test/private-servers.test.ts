import { MongoClient } from 'mongodb';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { uniqueName } from '@chat/testkit';
import { startPrivateKafka, startPrivateMongo, startPrivateRedis } from '../src/private-servers.js';

describe('private servers for fault tests', () => {
  it('runs a MongoDB-wire server that keeps its data across stop and start', async () => {
    const server = await startPrivateMongo();
    try {
      const client = new MongoClient(server.url, { serverSelectionTimeoutMS: 5000 });
      await client
        .db()
        .collection('things')
        .insertOne({ _id: 'kept' } as never);
      await client.close();
      await server.stop();
      await server.start();
      const again = new MongoClient(server.url, { serverSelectionTimeoutMS: 5000 });
      expect(await again.db().collection('things').countDocuments()).toBe(1);
      await again.close();
    } finally {
      await server.dispose();
    }
  });

  it('runs a Redis that keeps its data across stop and start', async () => {
    const server = await startPrivateRedis();
    try {
      const client = new Redis(server.url);
      await client.set('kept', '1');
      client.disconnect();
      await server.stop();
      await server.start();
      const again = new Redis(server.url);
      expect(await again.get('kept')).toBe('1');
      again.disconnect();
    } finally {
      await server.dispose();
    }
  });

  it('runs a Kafka broker that keeps acked records across a SIGKILL and a restart, with topic auto-creation off', async () => {
    const server = await startPrivateKafka();
    const kafka = new Kafka({
      clientId: uniqueName('private-kafka-test'),
      brokers: server.url.split(','),
      logLevel: logLevel.NOTHING,
      retry: { retries: 2, initialRetryTime: 100 },
    });
    const topic = uniqueName('kept');
    try {
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] });
      await admin.disconnect();
      const producer = kafka.producer({ allowAutoTopicCreation: false });
      await producer.connect();
      await producer.send({ topic, acks: -1, messages: [{ value: 'kept' }] });
      await expect(
        producer.send({ topic: uniqueName('never-created'), acks: -1, messages: [{ value: 'x' }] }),
      ).rejects.toThrow();
      await producer.disconnect();

      await server.stop();
      await server.start();

      const consumer = kafka.consumer({ groupId: uniqueName('private-kafka-test') });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const value = await new Promise<string>((resolve) => {
        void consumer.run({ eachMessage: async ({ message }) => resolve(message.value!.toString()) });
      });
      await consumer.disconnect();
      expect(value).toBe('kept');
    } finally {
      await server.dispose();
    }
  });
});
