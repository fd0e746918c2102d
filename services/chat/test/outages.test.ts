import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SendAccepted, SendAck } from '@chat/contracts';
import { startPrivateKafka, startPrivateRedis, type PrivateServer } from '@chat/infra/private-servers';
import { uniqueName } from '@chat/testkit';
import { pino } from 'pino';
import { Harness, emitAck, inbox, waitFor, type Client } from './support.js';

/**
 * Kafka outages are real: every instance and the persistence worker run
 * against a private broker that the test kills with SIGKILL mid-stream (no
 * graceful shutdown, no goodbye to the clients) and starts again on the same
 * port with the same data. The shared broker keeps serving everyone else.
 */
/** A broker restart (log recovery, then a produce-and-fetch probe) and the consumers' reconnect take tens of seconds on a busy machine. */
const OUTAGE_TEST_TIMEOUT_MS = 180_000;

describe('outages', () => {
  let kafka: PrivateServer;
  let h: Harness;
  const [alice, bob] = ['alice', 'bob'].map((name) => uniqueName(name)) as [string, string];

  beforeAll(async () => {
    kafka = await startPrivateKafka();
    h = new Harness({ brokers: kafka.url.split(',') });
    await h.setUp();
    await h.startPersistence();
  }, OUTAGE_TEST_TIMEOUT_MS);
  afterAll(async () => {
    await h.tearDown();
    await kafka.dispose();
  });

  /** Sends one at a time (each ack awaited), so the sender's order is the order asked of the platform. */
  async function sendAll(client: Client, roomId: string, ids: string[]): Promise<SendAck[]> {
    const acks: SendAck[] = [];
    for (const id of ids) acks.push(await emitAck(client, 'send', { roomId, clientMessageId: id, text: id }));
    return acks;
  }

  it(
    'Kafka killed mid-stream: sends are acked queued; after Kafka returns all arrive, in order, exactly once, stored once',
    async () => {
      // A's warnings, kept: the gateway's context does not follow awaits, so a send's lines name its ids themselves.
      const warnings: Record<string, unknown>[] = [];
      const warningsOfA = pino({ level: 'warn' }, { write: (line: string) => warnings.push(JSON.parse(line)) });
      const { port: portA } = await h.gateway({}, { logger: warningsOfA });
      const { port: portB } = await h.gateway();
      const roomId = h.room([alice, bob]);
      const a = await h.connected(portA, alice);
      const b = await h.connected(portB, bob);
      const inB = inbox(b);
      await emitAck(b, 'resume', { rooms: [{ roomId, after: -1 }] });
      const ids = Array.from({ length: 60 }, (_, i) => `k-${i}`);

      const before = await sendAll(a, roomId, ids.slice(0, 10));
      for (const ack of before) expect(ack).toMatchObject({ status: 'accepted' });
      // The broker dies while the stream goes on: sends racing the kill may still be accepted.
      const killed = kafka.stop();
      const racing = await sendAll(a, roomId, ids.slice(10, 20));
      await killed;
      const during = await sendAll(a, roomId, ids.slice(20));
      for (const ack of racing) expect(['accepted', 'queued']).toContain((ack as SendAccepted).status);
      for (const ack of during) expect(ack).toMatchObject({ status: 'queued' });
      // A retry of a queued send answers queued with the same id and queues nothing more.
      expect(await emitAck(a, 'send', { roomId, clientMessageId: 'k-25', text: 'k-25' })).toEqual(during[5]);
      expect(inB.length).toBeLessThan(ids.length);
      const failedPublishes = warnings.filter((line) => line.msg === 'publish failed; queueing the message');
      expect(failedPublishes.length).toBeGreaterThan(0);
      for (const line of failedPublishes) expect(line.correlationId).toMatch(/^[0-9a-f-]{36}$/);

      await kafka.start();
      await waitFor('all delivered', () => inB.length >= ids.length, { timeoutMs: 60_000 });
      const stored = await h.waitStored(roomId, ids.length, 60_000);
      // Anything extra (a duplicate) would have arrived by now.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const acked = [...before, ...racing, ...during].map((ack) => (ack as SendAccepted).messageId);
      expect(inB.map((m) => m.clientMessageId)).toEqual(ids);
      expect(inB.map((m) => m.messageId)).toEqual(acked);
      expect(inB.map((m) => m.position)).toEqual([...inB.map((m) => m.position)].sort((x, y) => x - y));
      expect((await h.stored(roomId)).map((m) => m._id)).toEqual(acked);
      expect(stored.map((m) => m.clientMessageId)).toEqual(ids);
    },
    OUTAGE_TEST_TIMEOUT_MS,
  );

  it(
    'Kafka and Redis both down: a clear retryable error and no ack',
    async () => {
      const redis = await startPrivateRedis();
      try {
        const { port } = await h.gateway({ REDIS_URL: redis.url });
        const roomId = h.room([alice]);
        const a = await h.connected(port, alice);
        expect(
          await emitAck(a, 'send', { roomId, clientMessageId: 'warm', text: 'warm the membership cache' }),
        ).toMatchObject({ status: 'accepted' });
        await Promise.all([kafka.stop(), redis.stop()]);
        const reply = await emitAck(a, 'send', { roomId, clientMessageId: 'nowhere', text: 'lost?' });
        expect(reply).toEqual({
          error: { code: 'UNAVAILABLE', message: expect.any(String), retryable: true },
        });
        await kafka.start();
        await new Promise((resolve) => setTimeout(resolve, 2000));
        expect(await h.storedCount({ roomId, clientMessageId: 'nowhere' })).toBe(0);
      } finally {
        await redis.dispose();
      }
    },
    OUTAGE_TEST_TIMEOUT_MS,
  );
});
