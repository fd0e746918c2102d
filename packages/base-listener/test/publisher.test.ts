import { parseEvent } from '@chat/contracts';
import { uniqueName } from '@chat/testkit';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { Publisher } from '../src/index.js';
import { messageSent } from '@chat/testkit/events';
import { createTopic, endpoints, readTopic, testLogger } from './support/kafka.js';

/** How many batched sends the publisher made (its send-time histogram's count). */
async function sendsOf(registry: Registry): Promise<number | undefined> {
  const histogram = await registry.getSingleMetric('kafka_publish_seconds')?.get();
  return histogram?.values.find(
    (value) => (value as { metricName?: string }).metricName === 'kafka_publish_seconds_count',
  )?.value;
}

describe('Publisher', () => {
  it('sends events keyed by room, each room in one partition in publish order', async () => {
    const topic = await createTopic('publisher', 3);
    const registry = new Registry();
    const publisher = new Publisher({ brokers: endpoints.kafkaBrokers, logger: testLogger, registry });
    await publisher.connect();
    const events = ['room-1', 'room-2', 'room-3'].flatMap((room) => [messageSent(room), messageSent(room)]);
    try {
      await publisher.publishAll(events, { topic });
    } finally {
      await publisher.disconnect();
    }

    const records = await readTopic(topic);
    expect(records).toHaveLength(6);
    for (const room of ['room-1', 'room-2', 'room-3']) {
      const ofRoom = records.filter((record) => record.key === room);
      expect(new Set(ofRoom.map((record) => record.partition)).size).toBe(1);
      expect(ofRoom.map((record) => parseEvent(record.value!).eventId)).toEqual(
        events.filter((event) => event.payload.roomId === room).map((event) => event.eventId),
      );
    }
    const published = await registry.getSingleMetric('kafka_messages_published_total')?.get();
    expect(published?.values.find((value) => value.labels.outcome === 'ok')?.value).toBe(6);
  });

  it('sends what arrives while a send is under way together in the next one (group commit)', async () => {
    const topic = await createTopic('publisher-group', 3);
    const registry = new Registry();
    const publisher = new Publisher({ brokers: endpoints.kafkaBrokers, logger: testLogger, registry });
    await publisher.connect();
    const rooms = ['room-1', 'room-2', 'room-3'];
    const first = Array.from({ length: 10 }, (_, index) => messageSent(rooms[index % 3]!));
    const rest = Array.from({ length: 1500 }, (_, index) => messageSent(rooms[index % 3]!));
    try {
      const firstSent = publisher.publishAll(first, { topic });
      // Published after the first tick, while its send is under way: they wait and leave together.
      await new Promise((resolve) => setImmediate(resolve));
      await Promise.all([firstSent, publisher.publishAll(rest, { topic })]);
    } finally {
      await publisher.disconnect();
    }

    const sends = await sendsOf(registry);
    // 10 in the first send; 1,500 in two more (at most 1,000 records a send).
    expect(sends).toBe(3);
    const records = await readTopic(topic);
    expect(records).toHaveLength(1510);
    for (const room of rooms) {
      expect(
        records.filter((record) => record.key === room).map((record) => parseEvent(record.value!).eventId),
      ).toEqual(
        [...first, ...rest].filter((event) => event.payload.roomId === room).map((event) => event.eventId),
      );
    }
  });

  it('with a linger, lets publishes sparser than a tick share one send', async () => {
    const topic = await createTopic('publisher-linger', 1);
    const registry = new Registry();
    const publisher = new Publisher({
      brokers: endpoints.kafkaBrokers,
      logger: testLogger,
      registry,
      lingerMs: 200,
    });
    await publisher.connect();
    const events = Array.from({ length: 3 }, () => messageSent('room-1'));
    try {
      const sent: Promise<void>[] = [];
      // Ticks apart, but within the first one's linger.
      for (const event of events) {
        sent.push(publisher.publish(event, { topic }));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await Promise.all(sent);
    } finally {
      await publisher.disconnect();
    }
    const sends = await sendsOf(registry);
    expect(sends).toBe(1);
    expect((await readTopic(topic)).map((record) => parseEvent(record.value!).eventId)).toEqual(
      events.map((event) => event.eventId),
    );
  });

  it('fails a publish clearly instead of acknowledging it when the send cannot be made', async () => {
    const publisher = new Publisher({
      brokers: endpoints.kafkaBrokers,
      logger: testLogger,
      registry: new Registry(),
      retries: 1,
    });
    await publisher.connect();
    try {
      await expect(
        publisher.publish(messageSent('room-1'), { topic: uniqueName('missing') }),
      ).rejects.toThrow();
    } finally {
      await publisher.disconnect();
    }
  });

  it('refuses bad options at construction', () => {
    expect(() => new Publisher({ retries: 0 })).toThrow(/retries/);
  });
});
