import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '@chat/contracts';
import { viewKeys, type MembershipView } from '@chat/membership';
import { uniqueName } from '@chat/testkit';
import type { TsChild } from '@chat/testkit/child';
import { Redis } from 'ioredis';
import { Harness, endpoints, emitAck, sendAccepted, waitFor, type Client } from './support.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('an instance killed with -9 mid-stream', () => {
  const h = new Harness();
  let child: TsChild | undefined;
  let childPort: number;
  let portA: number;
  const [alice, bob, carol] = ['alice', 'bob', 'carol'].map((name) => uniqueName(name)) as [
    string,
    string,
    string,
  ];

  beforeAll(async () => {
    await h.setUp();
    await h.startPersistence();
    ({ port: portA } = await h.gateway());
    // The real entry point (src/main.ts), with the room service's membership view, as its own process.
    ({ child, port: childPort } = await h.gatewayProcess({ CHAT_INSTANCE_ID: uniqueName('gw-child') }));
  });
  afterAll(async () => {
    await h.tearDown();
  });

  /** A receiver that keeps its highest position and, once its instance dies, resumes on instance A. */
  async function receiver(userId: string, roomId: string, port: number) {
    const received: ChatMessage[] = [];
    const state = { client: undefined as Client | undefined, reconnected: false };
    const attach = async (p: number, after: number) => {
      const client = await h.connected(p, userId);
      state.client = client;
      client.on('message', (message) => received.push(message));
      expect(await emitAck(client, 'resume', { rooms: [{ roomId, after }] })).toMatchObject({
        rooms: [{ roomId }],
      });
      return client;
    };
    const first = await attach(port, -1);
    first.once('disconnect', () => {
      const last = received.length ? received[received.length - 1]!.position : -1;
      void attach(portA, last).then(() => (state.reconnected = true));
    });
    return { received, state };
  }

  it('serves /metrics from its real entry point: the gateway, its Kafka listeners and the process', async () => {
    const response = await fetch(`http://127.0.0.1:${childPort}/metrics`);
    expect(response.status).toBe(200);
    const body = await response.text();
    for (const name of [
      'chat_sends_total',
      'kafka_messages_published_total',
      'kafka_consumer_lag',
      'process_cpu_seconds_total',
    ])
      expect(body).toContain(`# TYPE ${name} `);
    // Every consumer of the process shares one family per metric.
    expect(body.match(/^# TYPE kafka_consumer_lag /gm)).toHaveLength(1);
  });

  it('its clients resume on another instance and end with every acked message exactly once, in order, as stored', async () => {
    const roomId = h.room([alice, bob, carol]);
    // What main.ts reads: the room service's Redis membership view (filled here by the view itself).
    const view = h.membership() as MembershipView;
    const redis = new Redis(endpoints.redisUrl);
    await waitFor('the room in the Redis membership view', async () => {
      await view.refresh(roomId);
      return (await redis.exists(viewKeys.roomMembers(roomId))) === 1;
    });
    redis.disconnect();

    const bobOnChild = await receiver(bob, roomId, childPort);
    const carolOnA = await receiver(carol, roomId, portA);

    let alicePort = childPort;
    let a = await h.connected(childPort, alice);
    const acked = new Map<string, string>();
    const total = 60;
    let killed = false;

    // Alice sends one at a time, acked; Carol (instance A) sends in between.
    const carolSends = (async () => {
      for (let i = 0; i < 10; i++) {
        const ack = await sendAccepted(carolOnA.state.client!, {
          roomId,
          clientMessageId: `carol-${i}`,
          text: `carol ${i}`,
        });
        acked.set(`carol-${i}`, ack.messageId);
        await sleep(40);
      }
    })();

    let i = 0;
    while (i < total) {
      const clientMessageId = `alice-${i}`;
      const down = new Promise<'down'>((resolve) => a.once('disconnect', () => resolve('down')));
      const reply = await Promise.race([
        emitAck(a, 'send', { roomId, clientMessageId, text: `alice ${i}` }),
        down,
      ]);
      if (reply === 'down' || !a.connected) {
        // The recipe: reconnect elsewhere and re-send what was not acked, with the same clientMessageId.
        alicePort = portA;
        a = await h.connected(portA, alice);
        continue;
      }
      if ('error' in reply) {
        expect(reply.error).toMatchObject({ retryable: true }); // an attempt of the dead instance still reserved
        await sleep(200);
        continue;
      }
      acked.set(clientMessageId, reply.messageId);
      i++;
      if (i === 25 && !killed) {
        killed = true;
        // Mid-stream: the next sends are already on their way to the child.
        void emitAck(a, 'send', { roomId, clientMessageId: `alice-${i}`, text: `alice ${i}` });
        child!.signal('SIGKILL');
      }
    }
    await carolSends;
    expect(alicePort).toBe(portA);
    await waitFor('the child gone', () => child!.exited.then(({ signal }) => signal === 'SIGKILL'));

    const stored = await h.waitStored(roomId, total + 10);
    await waitFor('bob resumed on A', () => bobOnChild.state.reconnected);
    await waitFor(
      'everything delivered to both receivers',
      () => bobOnChild.received.length >= stored.length && carolOnA.received.length >= stored.length,
      { timeoutMs: 20_000 },
    );
    await sleep(300);
    const ids = (list: { messageId: string }[]) => list.map((m) => m.messageId);
    const storedIds = stored.map((m) => m._id);
    expect(stored).toHaveLength(total + 10); // each clientMessageId stored once
    expect(ids(bobOnChild.received)).toEqual(storedIds);
    expect(ids(carolOnA.received)).toEqual(storedIds);
    expect(bobOnChild.received.map((m) => m.position)).toEqual(stored.map((m) => m.position));
    for (const messageId of acked.values()) expect(storedIds).toContain(messageId);
    expect(acked.size).toBe(total + 10);
  });
});
