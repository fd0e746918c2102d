import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import type { AnyEvent, SendAccepted } from '@chat/contracts';
import { startPrivateRedis, type PrivateServer } from '@chat/infra/private-servers';
import { createLogger } from '@chat/runtime';
import { uniqueName } from '@chat/testkit';
import { kafkaEventPublisher, type EventPublisher } from '../src/send/publisher-port.js';
import { Harness, emitAck, endpoints, inbox, waitFor } from './support.js';

/**
 * Kafka outage: the shared broker must keep running for every other suite,
 * and a TCP proxy in front of it does not cut a connected producer off
 * (the broker advertises its own address, so after the first metadata
 * request the producer talks to 127.0.0.1:19092 directly). So the outage is
 * injected at the gateway's publisher port: a real kit Publisher behind a
 * switch that, while "down", fails every publish the way an unreachable
 * broker does (a connection error, and `connected` false).
 */
function switchablePublisher(outage: { down: boolean }): EventPublisher {
  const real = kafkaEventPublisher({
    brokers: endpoints.kafkaBrokers,
    clientId: uniqueName('switchable'),
    logger: createLogger('switchable', 'silent'),
    registry: new Registry(),
  });
  return {
    get connected() {
      return !outage.down && real.connected;
    },
    async publish(events: readonly AnyEvent[], topic: string) {
      if (outage.down)
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:19092'), {
          name: 'KafkaJSConnectionError',
        });
      return real.publish(events, topic);
    },
    close: () => real.close(),
  };
}

describe('outages', () => {
  const h = new Harness();
  const [alice, bob] = ['alice', 'bob'].map((name) => uniqueName(name)) as [string, string];

  beforeAll(async () => {
    await h.setUp();
    await h.startPersistence();
  });
  afterAll(() => h.tearDown());

  it('Kafka stopped: sends are acked queued; after Kafka returns all arrive, in order, exactly once, stored once', async () => {
    // Kafka is down for every instance at once: each gets its own publisher behind the same switch.
    const outage = { down: false };
    const publisher = switchablePublisher(outage);
    const { port: portA } = await h.gateway({}, { publisher });
    const { port: portB } = await h.gateway({}, { publisher: switchablePublisher(outage) });
    await waitFor('publisher connected', () => publisher.connected);
    const roomId = h.room([alice, bob]);
    const a = await h.connected(portA, alice);
    const b = await h.connected(portB, bob);
    const inB = inbox(b);
    await emitAck(b, 'resume', { rooms: [{ roomId, after: -1 }] });
    expect(await emitAck(a, 'send', { roomId, clientMessageId: 'k-0', text: 'before' })).toMatchObject({
      status: 'accepted',
    });
    outage.down = true;
    const queued = [];
    for (let i = 1; i <= 30; i++)
      queued.push(await emitAck(a, 'send', { roomId, clientMessageId: `k-${i}`, text: `during ${i}` }));
    for (const ack of queued) expect(ack).toMatchObject({ status: 'queued' });
    // A retry of a queued send answers queued with the same id and queues nothing more.
    const retry = await emitAck(a, 'send', { roomId, clientMessageId: 'k-5', text: 'during 5' });
    expect(retry).toEqual(queued[4]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(inB).toHaveLength(1);
    outage.down = false;
    await waitFor('all delivered', () => inB.length >= 31, { timeoutMs: 20_000 });
    const stored = await h.waitStored(roomId, 31);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(inB.map((m) => m.clientMessageId)).toEqual(Array.from({ length: 31 }, (_, i) => `k-${i}`));
    expect(stored.map((m) => m.clientMessageId)).toEqual(Array.from({ length: 31 }, (_, i) => `k-${i}`));
    expect(stored.map((m) => m._id).slice(1)).toEqual(queued.map((ack) => (ack as SendAccepted).messageId));
  });

  it('Kafka and Redis both down: a clear retryable error and no ack', async () => {
    const redis: PrivateServer = await startPrivateRedis();
    try {
      const outage = { down: false };
      const publisher = switchablePublisher(outage);
      const { port } = await h.gateway({ REDIS_URL: redis.url }, { publisher });
      await waitFor('publisher connected', () => publisher.connected);
      const roomId = h.room([alice]);
      const a = await h.connected(port, alice);
      expect(
        await emitAck(a, 'send', { roomId, clientMessageId: 'warm', text: 'warm the membership cache' }),
      ).toMatchObject({ status: 'accepted' });
      outage.down = true;
      await redis.stop();
      const reply = await emitAck(a, 'send', { roomId, clientMessageId: 'nowhere', text: 'lost?' });
      expect(reply).toEqual({ error: { code: 'UNAVAILABLE', message: expect.any(String), retryable: true } });
      outage.down = false;
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(await h.storedCount({ roomId, clientMessageId: 'nowhere' })).toBe(0);
    } finally {
      await redis.dispose();
    }
  });
});
