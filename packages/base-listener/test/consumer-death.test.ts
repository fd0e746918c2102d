import { uniqueName, waitFor } from '@chat/testkit';
import { describe, expect, it } from 'vitest';
import { onConsumerDeath } from '../src/kafka/consumer-death.js';
import { createTopic, kafka, produce } from './support/kafka.js';

describe('onConsumerDeath', () => {
  it('stays silent when KafkaJS restarts a crashed consumer', async () => {
    const topic = await createTopic('consumer-restart');
    await produce(topic, [{ key: 'a', value: 'first' }]);
    const consumer = kafka.consumer({
      groupId: uniqueName('consumer-restart'),
      retry: { retries: 1, initialRetryTime: 100 },
    });
    const deaths: string[] = [];
    const restarts: boolean[] = [];
    onConsumerDeath(consumer, (reason) => deaths.push(reason));
    consumer.on(consumer.events.CRASH, ({ payload }) => restarts.push(payload.restart));
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    try {
      await consumer.run({
        eachMessage: async () => {
          throw new Error('handler keeps failing');
        },
      });
      await waitFor('a crash KafkaJS restarts from', () => restarts.includes(true), { timeoutMs: 30_000 });
    } finally {
      await consumer.disconnect();
    }
    expect(deaths).toEqual([]);
  });

  it('reports a consumer that KafkaJS stops for good', async () => {
    const topic = await createTopic('consumer-death');
    // Longer than the broker allows (group.max.session.timeout.ms): joining fails, not retriably.
    const consumer = kafka.consumer({ groupId: uniqueName('consumer-death'), sessionTimeout: 2_000_000 });
    const deaths: string[] = [];
    onConsumerDeath(consumer, (reason) => deaths.push(reason));
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    try {
      await consumer.run({ eachMessage: async () => undefined });
      await waitFor('the consumer stopped for good', () => deaths.length > 0, { timeoutMs: 30_000 });
    } finally {
      await consumer.disconnect();
    }
    expect(deaths).toHaveLength(1);
    expect(deaths[0]).toMatch(/^consumer of consumer-death-.* stopped: /);
  });
});
