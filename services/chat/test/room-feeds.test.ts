import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '@chat/contracts';
import { startPrivateRedis, type PrivateServer } from '@chat/infra/private-servers';
import { uniqueName } from '@chat/testkit';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { encodeFrame, feedChannel } from '../src/delivery/feeds/feed-frame.js';
import { partitionOf } from '../src/delivery/partition-of.js';
import {
  Harness,
  counted,
  positions,
  emitAck,
  endpoints,
  inbox,
  sendAccepted,
  uniqueUsers,
  waitFor,
  type Client,
} from './support.js';

/** The harness creates its topics with this many partitions. */
const PARTITIONS = 6;
const ascending = (items: readonly { position: number }[]) =>
  positions(items).every((position, i, all) => i === 0 || position > all[i - 1]!);

/** Resumes a room from the client's last position whenever the gateway says its live stream lost records. */
function resyncing(client: Client, received: ChatMessage[]): { resyncs: number } {
  const seen = { resyncs: 0 };
  client.on('resync', ({ roomId }) => {
    seen.resyncs += 1;
    const mine = received.filter((message) => message.roomId === roomId);
    void emitAck(client, 'resume', { rooms: [{ roomId, after: mine.at(-1)?.position ?? -1 }] });
  });
  return seen;
}

/**
 * `CHAT_DELIVERY_MODE=room-feeds` against the real Kafka, Redis and
 * persistence worker: the gateways form one owners' group, each partition's
 * owner publishes its records to the rooms' Redis feeds, and each gateway
 * subscribes only to the rooms its sockets are in.
 */
describe('room-feeds delivery', () => {
  const h = new Harness();
  const feeds = { CHAT_DELIVERY_MODE: 'room-feeds', CHAT_DELIVERY_OWNERS_GROUP: uniqueName('owners-test') };
  const registryA = new Registry();
  const registryB = new Registry();
  let portA: number;
  let portB: number;
  let instanceB: string;

  beforeAll(async () => {
    await h.setUp();
    await h.startPersistence();
    const a = await h.gateway(feeds, { registry: registryA });
    const b = await h.gateway(feeds, { registry: registryB });
    [portA, portB, instanceB] = [a.port, b.port, b.gateway.instanceId];
  });
  afterAll(() => h.tearDown());

  /** One room of `members` in each partition of the messages topic. */
  function roomPerPartition(members: string[]): string[] {
    const byPartition = new Map<number, string>();
    while (byPartition.size < PARTITIONS) {
      const roomId = h.room(members);
      byPartition.set(partitionOf(roomId, PARTITIONS), roomId);
    }
    return [...byPartition.values()];
  }
  const fedRecords = (registry: Registry) =>
    counted(registry, 'chat_delivery_records_total', { topic: h.messagesTopic });
  const published = () =>
    Promise.all([registryA, registryB].map((r) => counted(r, 'chat_delivery_feed_published_total'))).then(
      ([a, b]) => a! + b!,
    );

  it('delivers a room to its members on both instances in order, and feeds each instance only its own rooms', async () => {
    const [alice, bob, carol] = uniqueUsers('alice', 'bob', 'carol');
    const x = h.room([alice, bob]);
    const y = h.room([carol]);
    const a = await h.connected(portA, alice);
    const c = await h.connected(portA, carol);
    const b = await h.connected(portB, bob);
    const [inA, inB, inC] = [inbox(a), inbox(b), inbox(c)];
    for (const [client, roomId] of [
      [a, x],
      [c, y],
      [b, x],
    ] as const)
      expect(await emitAck(client, 'resume', { rooms: [{ roomId, after: -1 }] })).toMatchObject({
        rooms: [{ roomId, caughtUp: 0 }],
      });

    for (let i = 0; i < 10; i++) {
      await sendAccepted(a, { roomId: x, clientMessageId: uniqueName('c'), text: `a${i}` });
      if (i % 2 === 0) await sendAccepted(b, { roomId: x, clientMessageId: uniqueName('c'), text: `b${i}` });
      if (i % 3 === 0) await sendAccepted(c, { roomId: y, clientMessageId: uniqueName('c'), text: `c${i}` });
    }
    await waitFor(
      'both members of X have its 15 and carol her 4',
      () => inA.length === 15 && inB.length === 15 && inC.length === 4,
    );
    expect(inB).toEqual(inA);
    expect(ascending(inA)).toBe(true);
    expect(new Set(inA.map((message) => message.messageId)).size).toBe(15);

    // B was fed X's records and nothing of Y; A both rooms'. Every record was published by its partition's owner.
    await waitFor('every record fed', async () => (await fedRecords(registryA)) === 19);
    expect(await fedRecords(registryB)).toBe(15);
    expect(await published()).toBeGreaterThanOrEqual(19);
  });

  it('catches a socket up from its last position through the feed, the cache and the store', async () => {
    const [dave, erin] = uniqueUsers('dave', 'erin');
    const z = h.room([dave, erin]);
    const d = await h.connected(portA, dave);
    const inD = inbox(d);
    await emitAck(d, 'resume', { rooms: [{ roomId: z, after: -1 }] });
    for (let i = 0; i < 6; i++)
      await sendAccepted(d, { roomId: z, clientMessageId: uniqueName('c'), text: `d${i}` });
    await waitFor('dave has his 6', () => inD.length === 6);
    // B has no feed of Z yet: erin's catch-up from the start comes from the cache or the store, then goes live.
    await h.waitStored(z, 6);
    const e = await h.connected(portB, erin);
    const inE = inbox(e);
    expect(await emitAck(e, 'resume', { rooms: [{ roomId: z, after: inD[1]!.position }] })).toMatchObject({
      rooms: [{ roomId: z, caughtUp: 4 }],
    });
    await sendAccepted(d, { roomId: z, clientMessageId: uniqueName('c'), text: 'live' });
    await waitFor('erin has the rest and the live one', () => inE.length === 5);
    await waitFor('dave has the live one', () => inD.length === 7);
    expect(inE).toEqual(inD.slice(2));
  });

  it('hands an owner’s partitions over when it leaves, losing and doubling nothing', async () => {
    const [frank, gina] = uniqueUsers('frank', 'gina');
    // A room in every partition, so whichever partitions the third owner gets, it has records to publish.
    const rooms = roomPerPartition([frank, gina]);
    const registryC = new Registry();
    const third = await h.gateway(feeds, { registry: registryC });
    await waitFor('the third owner has joined', () => third.gateway.deliveryWarmedUp());
    const f = await h.connected(portB, frank);
    const g = await h.connected(portA, gina);
    const inG = inbox(g);
    for (const client of [f, g])
      await emitAck(client, 'resume', { rooms: rooms.map((roomId) => ({ roomId, after: -1 })) });
    const sent: string[] = [];
    for (let round = 0; round < 10; round++) {
      if (round === 4) {
        // The third owner had partitions of its own, and published from them before it left.
        await waitFor(
          'the third owner published',
          async () => (await counted(registryC, 'chat_delivery_feed_published_total')) > 0,
        );
        await third.gateway.stop();
      }
      for (const roomId of rooms)
        sent.push(
          (await sendAccepted(f, { roomId, clientMessageId: uniqueName('c'), text: `r${round}` })).messageId,
        );
    }
    await waitFor('gina has them all', () => inG.length >= rooms.length * 10, { timeoutMs: 60_000 });
    expect(new Set(inG.map((message) => message.messageId))).toEqual(new Set(sent));
    expect(inG).toHaveLength(rooms.length * 10);
    for (const roomId of rooms)
      expect(ascending(inG.filter((message) => message.roomId === roomId))).toBe(true);
  });

  it('a dropped feed subscription loses nothing: its rooms resume from their last position', async () => {
    const [hank, ivy] = uniqueUsers('hank', 'ivy');
    const w = h.room([hank, ivy]);
    const hk = await h.connected(portA, hank);
    const iv = await h.connected(portB, ivy);
    const [inH, inI] = [inbox(hk), inbox(iv)];
    const ivy$ = resyncing(iv, inI);
    for (const client of [hk, iv]) await emitAck(client, 'resume', { rooms: [{ roomId: w, after: -1 }] });
    await sendAccepted(hk, { roomId: w, clientMessageId: uniqueName('c'), text: 'before' });
    await waitFor('ivy has the first', () => inI.length === 1);

    const admin = new Redis(endpoints.redisUrl);
    try {
      const clients = await admin.client('LIST');
      const line = String(clients)
        .split('\n')
        .find((entry) => entry.includes(`name=chat-feeds.${instanceB}`));
      const id = /\bid=(\d+)/.exec(line ?? '')?.[1];
      expect(id).toBeDefined();
      await admin.client('KILL', 'ID', id!);
    } finally {
      admin.disconnect();
    }
    for (let i = 0; i < 10; i++)
      await sendAccepted(hk, { roomId: w, clientMessageId: uniqueName('c'), text: `m${i}` });
    await waitFor('hank has his 11', () => inH.length === 11);
    await waitFor('ivy has all 11 again', () => inI.length >= 11, { timeoutMs: 30_000 });
    expect(ivy$.resyncs).toBeGreaterThanOrEqual(1);
    expect(await counted(registryB, 'chat_delivery_feed_restarts_total')).toBeGreaterThanOrEqual(1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(inI).toEqual(inH);
  });

  it('a frame whose predecessor never arrived restarts the room: its sockets resume and miss nothing', async () => {
    const [jack, kim] = uniqueUsers('jack', 'kim');
    const v = h.room([jack, kim]);
    const j = await h.connected(portA, jack);
    const k = await h.connected(portB, kim);
    const [inJ, inK] = [inbox(j), inbox(k)];
    // The frame reaches every instance with a socket in the room: both start it over.
    const jack$ = resyncing(j, inJ);
    const kim$ = resyncing(k, inK);
    for (const client of [j, k]) await emitAck(client, 'resume', { rooms: [{ roomId: v, after: -1 }] });
    await sendAccepted(j, { roomId: v, clientMessageId: uniqueName('c'), text: 'first' });
    await waitFor('kim has the first', () => inK.length === 1);
    // What an owner would publish after a record this instance never received (offset far past any real one).
    const restartsBefore = await counted(registryB, 'chat_delivery_feed_restarts_total');
    const redis = new Redis(endpoints.redisUrl);
    try {
      await redis.spublish(
        feedChannel(v),
        encodeFrame({
          topic: 'messages',
          partition: 0,
          offset: 1e9 + 1,
          before: 1e9,
          value: Buffer.from('{}'),
        }),
      );
    } finally {
      redis.disconnect();
    }
    await waitFor('jack and kim were told to resume', () => jack$.resyncs === 1 && kim$.resyncs === 1);
    expect(await counted(registryB, 'chat_delivery_feed_restarts_total')).toBe(restartsBefore + 1);
    for (let i = 0; i < 5; i++)
      await sendAccepted(j, { roomId: v, clientMessageId: uniqueName('c'), text: `m${i}` });
    await waitFor('jack and kim have all 6', () => inJ.length >= 6 && inK.length >= 6);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(inK).toEqual(inJ);
  });

  it('owners frozen past their session and woken (zombies), or killed, lose, double and reorder nothing', async () => {
    const [lena, mike] = uniqueUsers('lena', 'mike');
    const rooms = roomPerPartition([lena, mike]);
    const frozen = await h.gatewayProcess(feeds);
    const killed = await h.gatewayProcess(feeds);
    /** Records a gateway process published as an owner, from its /metrics (one line per topic). */
    const publishedBy = async (port: number) =>
      [
        ...(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).matchAll(
          /^chat_delivery_feed_published_total\{[^}]*\} (\d+)$/gm,
        ),
      ].reduce((sum, [, count]) => sum + Number(count), 0);
    const l = await h.connected(portB, lena);
    const m = await h.connected(portA, mike);
    const [inL, inM] = [inbox(l), inbox(m)];
    for (const client of [l, m]) {
      resyncing(client, client === l ? inL : inM);
      await emitAck(client, 'resume', { rooms: rooms.map((roomId) => ({ roomId, after: -1 })) });
    }
    const sent: string[] = [];
    const sendRound = async (round: number) => {
      for (const roomId of rooms)
        sent.push(
          (await sendAccepted(l, { roomId, clientMessageId: uniqueName('c'), text: `r${round}` })).messageId,
        );
    };
    // Both processes own partitions and publish before anything happens to them.
    let round = 0;
    await waitFor(
      'both owner processes published',
      async () => {
        await sendRound(round++);
        return (await publishedBy(frozen.port)) > 0 && (await publishedBy(killed.port)) > 0;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );

    // Frozen mid-stream: its session expires, its partitions move, then it wakes holding what it had fetched.
    frozen.child.signal('SIGSTOP');
    const frozenAt = Date.now();
    while (Date.now() - frozenAt < 14_000) {
      await sendRound(round++);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    frozen.child.signal('SIGCONT');
    await sendRound(round++);
    // Killed outright: its partitions wait out its session, then move.
    killed.child.signal('SIGKILL');
    const killedAt = Date.now();
    while (Date.now() - killedAt < 14_000) {
      await sendRound(round++);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await waitFor(
      'mike and lena have every message',
      () => inM.length >= sent.length && inL.length >= sent.length,
      {
        timeoutMs: 60_000,
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const received of [inM, inL]) {
      expect(received).toHaveLength(sent.length);
      expect(new Set(received.map((message) => message.messageId))).toEqual(new Set(sent));
      for (const roomId of rooms)
        expect(ascending(received.filter((message) => message.roomId === roomId))).toBe(true);
    }
  }, 120_000);

  it('Redis stopped and back: sends are acked meanwhile, then every member has every message once, in order', async () => {
    const redis: PrivateServer = await startPrivateRedis();
    try {
      const env = {
        ...feeds,
        CHAT_DELIVERY_OWNERS_GROUP: uniqueName('owners-redis-test'),
        REDIS_URL: redis.url,
      };
      const { port: pa } = await h.gateway(env);
      const { port: pb } = await h.gateway(env);
      const [nora, otto] = uniqueUsers('nora', 'otto');
      const roomId = h.room([nora, otto]);
      const n = await h.connected(pa, nora);
      const o = await h.connected(pb, otto);
      const [inN, inO] = [inbox(n), inbox(o)];
      resyncing(n, inN);
      resyncing(o, inO);
      for (const client of [n, o]) await emitAck(client, 'resume', { rooms: [{ roomId, after: -1 }] });
      await sendAccepted(n, { roomId, clientMessageId: uniqueName('c'), text: 'membership now cached' });
      await waitFor('both have the first', () => inN.length === 1 && inO.length === 1);

      await redis.stop();
      for (let i = 0; i < 10; i++)
        expect(
          await emitAck(n, 'send', { roomId, clientMessageId: uniqueName('c'), text: `no redis ${i}` }),
        ).toMatchObject({
          status: 'accepted',
        });
      await redis.start();
      await waitFor('both have all 11', () => inN.length >= 11 && inO.length >= 11, { timeoutMs: 60_000 });
      await sendAccepted(n, { roomId, clientMessageId: uniqueName('c'), text: 'live' });
      await waitFor('both have the live one', () => inN.length >= 12 && inO.length >= 12);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(inO).toEqual(inN);
      expect(inN).toHaveLength(12);
      expect(ascending(inN)).toBe(true);
    } finally {
      await redis.dispose();
    }
  }, 120_000);
});
