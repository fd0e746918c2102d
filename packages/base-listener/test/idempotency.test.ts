import { waitFor } from '@chat/testkit';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { ListenerEventMap } from '../src/index.js';
import { messageSent, recordOf } from '@chat/testkit/events';
import { committedOffsets, createTopic, endpoints, produce } from './support/kafka.js';
import { FunctionListener, listenerPool, testOptions } from './support/listeners.js';
import { privateRedis } from './support/redis.js';

const pool = listenerPool();
afterEach(() => pool.stopAll());

type Hit = ListenerEventMap['idempotentHit'][0];

async function hitCount(registry: Registry, store: string): Promise<number> {
  const metric = await registry.getSingleMetric('kafka_idempotent_hits_total')?.get();
  return metric?.values.find((value) => value.labels.store === store)?.value ?? 0;
}

describe('idempotency', () => {
  it('applies a duplicate once and counts it as an idempotent hit', async () => {
    const topic = await createTopic('idem-redis');
    const event = messageSent('room-a');
    const applied: string[] = [];
    const registry = new Registry();
    const options = testOptions({ topics: [topic], registry });
    const listener = new FunctionListener(options, async (received) => {
      applied.push(received.eventId);
    });
    await pool.start(listener);
    // The second copy is a producer retry: same idempotency key, a new event id.
    const retried = { ...event, eventId: messageSent('room-a').eventId };
    await produce(topic, [recordOf(event), recordOf(retried)]);

    await waitFor(
      'both copies committed',
      async () => (await committedOffsets(options.groupId, topic))[0] === 2,
    );
    expect(applied).toEqual([event.eventId]);
    expect(await hitCount(registry, 'redis')).toBe(1);
  });

  it('still applies duplicates once while Redis is down, from the durable store, across a restart', async () => {
    const topic = await createTopic('idem-outage');
    const redis = await privateRedis();
    const before = messageSent('room-a');
    const during = messageSent('room-a');
    const applied: string[] = [];
    const registry = new Registry();
    const options = testOptions({ topics: [topic], registry, idempotency: { redis: redis.url } });
    const handler = async (event: { eventId: string }) => {
      applied.push(event.eventId);
    };
    const listener = await pool.start(new FunctionListener(options, handler));
    const hits: Hit[] = [];
    listener.events.on('idempotentHit', (hit) => hits.push(hit));

    await produce(topic, [recordOf(before)]);
    await waitFor('the first event applied', () => applied.length === 1);

    await redis.stop();
    await produce(topic, [recordOf(before), recordOf(during), recordOf(during)]);
    await waitFor(
      'all four committed',
      async () => (await committedOffsets(options.groupId, topic))[0] === 4,
    );
    expect(applied).toEqual([before.eventId, during.eventId]);
    expect(hits).toEqual([
      { key: before.idempotencyKey, store: 'durable' },
      { key: during.idempotencyKey, store: 'durable' },
    ]);
    const fallbacks = await registry.getSingleMetric('kafka_idempotency_fallback_total')?.get();
    expect(fallbacks?.values.reduce((sum, value) => sum + value.value, 0)).toBeGreaterThanOrEqual(3);

    // A new instance of the group, with Redis still down, learns every applied key from the durable log.
    await listener.stop();
    const restarted = await pool.start(
      new FunctionListener({ ...options, registry: new Registry() }, handler),
    );
    const restartedHits: Hit[] = [];
    restarted.events.on('idempotentHit', (hit) => restartedHits.push(hit));
    await produce(topic, [recordOf(before), recordOf(during)]);
    await waitFor(
      'the replayed copies committed',
      async () => (await committedOffsets(options.groupId, topic))[0] === 6,
    );
    expect(applied).toEqual([before.eventId, during.eventId]);
    expect(restartedHits.map((hit) => hit.store)).toEqual(['durable', 'durable']);
  });

  it('records a key only when its effect is done, so a failed attempt is retried, not dropped', async () => {
    const topic = await createTopic('idem-late-record');
    const event = messageSent('room-a');
    let calls = 0;
    const applied: string[] = [];
    const options = testOptions({ topics: [topic], retry: { initialDelayMs: 20 } });
    await pool.start(
      new FunctionListener(options, async (received) => {
        calls += 1;
        if (calls === 1) throw new Error('write timed out');
        applied.push(received.eventId);
      }),
    );
    await produce(topic, [recordOf(event)]);
    await waitFor('the event applied on its second attempt', () => applied.length === 1);
    expect(calls).toBe(2);
  });

  it('waits while another consumer holds the key, and skips the event once that consumer applied it', async () => {
    const topic = await createTopic('idem-busy');
    const event = messageSent('room-a');
    const applied: string[] = [];
    const options = testOptions({
      topics: [topic],
      retry: { maxAttempts: 50, initialDelayMs: 50, multiplier: 1 },
    });
    const listener = await pool.start(
      new FunctionListener(options, async (received) => {
        applied.push(received.eventId);
      }),
    );
    const retries: unknown[] = [];
    listener.events.on('retry', (retry) => retries.push(retry));
    const redis = new Redis(endpoints.redisUrl);
    try {
      const key = `idem:${options.groupId}:${event.idempotencyKey}`;
      await redis.set(key, 'pending:another-consumer', 'PX', 60_000);
      await produce(topic, [recordOf(event)]);
      await waitFor('the listener to back off from the held key', () => retries.length >= 2);
      expect(applied).toEqual([]);

      await redis.set(key, 'done', 'EX', 60);
      await waitFor(
        'the record committed',
        async () => (await committedOffsets(options.groupId, topic))[0] === 1,
      );
      expect(applied).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });
});
