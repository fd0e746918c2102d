import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PresenceNotice, TypingNotice } from '@chat/contracts';
import { uniqueName } from '@chat/testkit';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { Harness, emitAck, endpoints, waitFor } from './support.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('presence and typing across instances', () => {
  const h = new Harness();
  const redis = new Redis(endpoints.redisUrl);
  let portA: number;
  let portB: number;
  const [alice, bob] = ['alice', 'bob'].map((name) => uniqueName(name)) as [string, string];
  // Short lifetimes through the real configuration knobs.
  const settings = { CHAT_PRESENCE_TTL_SECONDS: '2', CHAT_TYPING_TTL_MS: '800' };

  beforeAll(async () => {
    await h.setUp();
    await h.startPersistence();
    [{ port: portA }, { port: portB }] = await Promise.all([h.gateway(settings), h.gateway(settings)]);
  });
  afterAll(async () => {
    redis.disconnect();
    await h.tearDown();
  });

  it('typing on instance A reaches members on B, is never persisted, and expires on its own', async () => {
    const roomId = h.room([alice, bob]);
    const a = await h.connected(portA, alice);
    const b = await h.connected(portB, bob);
    const typing: { notice: TypingNotice; at: number }[] = [];
    b.on('typing', (notice) => typing.push({ notice, at: Date.now() }));
    await emitAck(b, 'resume', { rooms: [{ roomId }] });
    await emitAck(a, 'resume', { rooms: [{ roomId }] });

    const started = Date.now();
    a.emit('typing', { roomId, typing: true });
    await waitFor('typing seen on B', () => typing.length >= 1);
    expect(typing[0]!.notice).toEqual({ roomId, userId: alice, typing: true });
    // Alice never says she stopped: B's instance ends it after the typing TTL.
    await waitFor('typing ended by itself', () => typing.length >= 2, { timeoutMs: 5_000 });
    expect(typing[1]!.notice).toEqual({ roomId, userId: alice, typing: false });
    expect(typing[1]!.at - started).toBeGreaterThanOrEqual(700);

    // A repeat keeps it alive; an explicit false ends it with no later expiry.
    typing.length = 0;
    a.emit('typing', { roomId, typing: true });
    await sleep(500);
    a.emit('typing', { roomId, typing: true });
    await sleep(500);
    expect(typing.map((t) => t.notice.typing)).toEqual([true, true]);
    a.emit('typing', { roomId, typing: false });
    await sleep(1_200);
    expect(typing.map((t) => t.notice.typing)).toEqual([true, true, false]);

    // Nothing of it was stored: no Kafka record, no MongoDB document, no Redis key for the room.
    const kafka = new Kafka({ brokers: endpoints.kafkaBrokers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const offsets = await Promise.all(
      [h.messagesTopic, h.receiptsTopic].map((topic) => admin.fetchTopicOffsets(topic)),
    );
    await admin.disconnect();
    expect(offsets.flat().every((partition) => partition.high === '0')).toBe(true);
    expect(await h.storedCount({ roomId })).toBe(0);
    const keys = await redis.keys(`*${roomId}*`);
    // Only the membership view's copy of the room.
    expect(keys.filter((key) => !key.startsWith(`room:{${roomId}}:`))).toEqual([]);
  });

  it('online presence appears across instances and disappears by itself', async () => {
    // A user with no other socket anywhere (the first test's Alice is still connected).
    const carol = uniqueName('carol');
    const roomId = h.room([carol, bob]);
    const b = await h.connected(portB, bob);
    const presence: PresenceNotice[] = [];
    b.on('presence', (notice) => notice.userId === carol && presence.push(notice));
    await emitAck(b, 'resume', { rooms: [{ roomId }] });

    const a = await h.connected(portA, carol);
    const online = `chat:online:${carol}`;
    // Online as soon as connected, not only at the first renewal.
    await waitFor('online key set', async () => (await redis.exists(online)) === 1, { timeoutMs: 1_000 });
    await emitAck(a, 'resume', { rooms: [{ roomId }] });
    await waitFor('online seen on B', () => presence.length >= 1);
    expect(presence[0]).toEqual({ roomId, userId: carol, online: true });

    // Renewed while connected, beyond its 2 s lifetime.
    await sleep(3_000);
    expect(await redis.exists(online)).toBe(1);
    expect(await redis.ttl(online)).toBeLessThanOrEqual(2);

    a.disconnect();
    await waitFor('offline seen on B', () => presence.length >= 2);
    expect(presence[1]).toEqual({ roomId, userId: carol, online: false });
    const gone = Date.now();
    await waitFor('online key expired', async () => (await redis.exists(online)) === 0, {
      timeoutMs: 4_000,
      intervalMs: 100,
    });
    expect(Date.now() - gone).toBeLessThanOrEqual(2_500);
  });

  it('a resume says which members are online now, on any instance', async () => {
    const [dave, erin, frank] = ['dave', 'erin', 'frank'].map((name) => uniqueName(name)) as [
      string,
      string,
      string,
    ];
    const roomId = h.room([dave, erin, frank]);
    await h.connected(portA, dave);
    const e = await h.connected(portB, erin);
    // Frank never connects.
    const reply = (await emitAck(e, 'resume', { rooms: [{ roomId }] })) as {
      rooms: { roomId: string; online?: string[] }[];
    };
    expect(reply.rooms[0]!.roomId).toBe(roomId);
    expect([...reply.rooms[0]!.online!].sort()).toEqual([dave, erin].sort());
  });
});
