import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateRedis, type PrivateServer } from '@chat/infra/private-servers';
import { uniqueName } from '@chat/testkit';
import { Harness, emitAck, inbox, waitFor } from './support.js';

describe('Redis outage', () => {
  const h = new Harness();
  const [alice, bob] = ['alice', 'bob'].map((name) => uniqueName(name)) as [string, string];

  beforeAll(async () => {
    await h.setUp();
    await h.startPersistence();
  });
  afterAll(() => h.tearDown());

  it('Redis stopped: sends and delivery go on, history falls back to MongoDB; a late reconnect catches up from MongoDB', async () => {
    const redis: PrivateServer = await startPrivateRedis();
    try {
      // A tiny memory window, so the reconnect below must read the database.
      const overrides = { REDIS_URL: redis.url, CHAT_WINDOW_PER_ROOM: '10' };
      const { port: portA } = await h.gateway(overrides);
      const { port: portB } = await h.gateway(overrides);
      const roomId = h.room([alice, bob]);
      const a = await h.connected(portA, alice);
      let b = await h.connected(portB, bob);
      let inB = inbox(b);
      await emitAck(a, 'resume', { rooms: [{ roomId, after: -1 }] });
      await emitAck(b, 'resume', { rooms: [{ roomId, after: -1 }] });
      await emitAck(a, 'send', { roomId, clientMessageId: 'warm', text: 'membership now cached' });
      await waitFor('first delivered', () => inB.length === 1);
      const last = inB[0]!.position;
      b.disconnect();
      await redis.stop();
      const acks = [];
      for (let i = 0; i < 30; i++)
        acks.push(await emitAck(a, 'send', { roomId, clientMessageId: `r-${i}`, text: `no redis ${i}` }));
      for (const ack of acks) expect(ack).toMatchObject({ status: 'accepted' });
      const stored = await h.waitStored(roomId, 31);
      b = await h.connected(portB, bob);
      inB = inbox(b);
      const reply = await emitAck(b, 'resume', { rooms: [{ roomId, after: last }] });
      expect(reply).toMatchObject({ rooms: [{ roomId, caughtUp: 30 }] });
      expect(inB.map((m) => m.messageId)).toEqual(stored.slice(1).map((m) => m._id));
      const page = await emitAck(b, 'history', { roomId, limit: 5 });
      expect(page).toMatchObject({ source: 'database', hasMore: true });
      expect(
        (page as { messages: { clientMessageId: string }[] }).messages.map((m) => m.clientMessageId),
      ).toEqual(['r-25', 'r-26', 'r-27', 'r-28', 'r-29']);
      await emitAck(a, 'send', { roomId, clientMessageId: 'live', text: 'still live' });
      await waitFor('live after catch-up', () => inB.some((m) => m.clientMessageId === 'live'));
    } finally {
      await redis.dispose();
    }
  });
});
