import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage, MessageUpdate, SendAccepted } from '@chat/contracts';
import { uniqueName } from '@chat/testkit';
import type { Admin } from 'kafkajs';
import { Registry } from 'prom-client';
import type { Gateway } from '../src/gateway.js';
import { socketRoom } from '../src/socket/handlers.js';
import { Harness, counted, emitAck, inbox, positions, uniqueUsers, waitFor, type Client } from './support.js';

/** Collects a client's `message-updated` events. */
function updates(client: Client): MessageUpdate[] {
  const received: MessageUpdate[] = [];
  client.on('message-updated', (update) => received.push(update));
  return received;
}

/**
 * No persistence worker runs here: MongoDB holds nothing, so every catch-up
 * and every edit check below can only have been served by the instance's
 * memory — on B, from records it held raw.
 */
describe('a gateway decodes only the rooms its own sockets are in', () => {
  const h = new Harness();
  const registryA = new Registry();
  const registryB = new Registry();
  let portA: number;
  let portB: number;
  let gatewayB: Gateway;
  let admin: Admin;
  const [alice, bob, carol] = uniqueUsers('alice', 'bob', 'carol');

  beforeAll(async () => {
    await h.setUp();
    [{ port: portA }, { port: portB, gateway: gatewayB }] = await Promise.all([
      h.gateway({}, { registry: registryA }),
      h.gateway({}, { registry: registryB }),
    ]);
    admin = h.kafka.admin();
    await admin.connect();
  });
  afterAll(async () => {
    await admin.disconnect();
    await h.tearDown();
  });

  const records = (registry: Registry, topic: string, outcome: string) =>
    counted(registry, 'chat_delivery_records_total', { topic, outcome });
  const topicSize = async (topic: string) =>
    (await admin.fetchTopicOffsets(topic)).reduce((sum, { high }) => sum + Number(high), 0);
  /** Both instances have counted every record of both topics. */
  const allCounted = () =>
    waitFor('both instances counted every record', async () => {
      for (const topic of [h.messagesTopic, h.receiptsTopic]) {
        const size = await topicSize(topic);
        for (const registry of [registryA, registryB]) {
          const seen =
            (await records(registry, topic, 'decoded')) +
            (await records(registry, topic, 'held')) +
            (await records(registry, topic, 'skipped'));
          if (seen !== size) return false;
        }
      }
      return true;
    });

  async function send(client: Client, roomId: string, count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const ack = (await emitAck(client, 'send', {
        roomId,
        clientMessageId: uniqueName('c'),
        text: `message ${i}`,
      })) as SendAccepted;
      expect(ack.status).toBe('accepted');
      ids.push(ack.messageId);
    }
    return ids;
  }

  it('holds a foreign room raw, serves its catch-up, edits and deletes from that, and holds it again once its sockets leave', async () => {
    const x = h.room([alice, bob]);
    const y = h.room([carol]);
    const a = await h.connected(portA, alice);
    const [inA, changesA] = [inbox(a), updates(a)];
    await emitAck(a, 'resume', { rooms: [{ roomId: x }] });
    const c = await h.connected(portB, carol);
    await emitAck(c, 'resume', { rooms: [{ roomId: y }] });
    // Bob is on B but not in X's live stream: B has no socket in X.
    const b1 = await h.connected(portB, bob);

    await send(a, x, 10);
    const [bobsFirst, bobsSecond] = await send(b1, x, 2);
    await send(a, x, 10);
    await send(c, y, 3);
    await waitFor('alice has the 22', () => inA.length === 22);
    expect(await emitAck(a, 'receipt', { roomId: x, messageId: inA[0]!.messageId, status: 'read' })).toEqual({
      status: 'recorded',
    });
    await allCounted();

    // B held every record of X and skipped its receipt; A did the same for Y. Nothing was decoded twice over.
    const messages = h.messagesTopic;
    expect(await records(registryB, messages, 'held')).toBe(await records(registryA, messages, 'decoded'));
    expect(await records(registryB, messages, 'held')).toBeGreaterThanOrEqual(22);
    expect(await records(registryB, messages, 'decoded')).toBe(await records(registryA, messages, 'held'));
    expect(await records(registryB, messages, 'decoded')).toBeGreaterThanOrEqual(3);
    expect(await records(registryB, h.receiptsTopic, 'skipped')).toBe(1);
    expect(await records(registryA, h.receiptsTopic, 'decoded')).toBe(1);

    // Edits and deletes on B are checked against X's window, decoded from what B held.
    const change = { roomId: x, clientRequestId: uniqueName('r') };
    expect(await emitAck(b1, 'edit', { ...change, messageId: bobsFirst!, text: 'edited on B' })).toEqual({
      status: 'accepted',
    });
    expect(
      await emitAck(b1, 'delete', { ...change, clientRequestId: uniqueName('r'), messageId: bobsSecond! }),
    ).toEqual({
      status: 'accepted',
    });
    expect(
      await emitAck(b1, 'edit', {
        ...change,
        clientRequestId: uniqueName('r'),
        messageId: inA[0]!.messageId,
        text: 'no',
      }),
    ).toMatchObject({ error: { code: 'NOT_ALLOWED' } });
    await waitFor('alice saw the edit and the delete', () => changesA.length === 2);
    await allCounted();

    // A resume from a position on B: exactly what came after it, in order, the changes at their places.
    const from = inA[4]!.position;
    const b2 = await h.connected(portB, bob);
    const [inB2, changesB2] = [inbox(b2), updates(b2)];
    const resumed = await emitAck(b2, 'resume', { rooms: [{ roomId: x, after: from }] });
    expect(resumed).toMatchObject({ rooms: [{ roomId: x, caughtUp: 17 + 2, last: changesA[1]!.position }] });
    expect(inB2).toEqual(inA.slice(5));
    expect(changesB2).toEqual(changesA);
    expect(await counted(registryB, 'chat_recoveries_total', { source: 'memory' })).toBe(1);

    // X now has a socket on B: its next records are decoded there and delivered live.
    const decodedBefore = await records(registryB, messages, 'decoded');
    await send(a, x, 1);
    await waitFor('bob on B has the live one', () => inB2.length === 18);
    expect(inB2[17]).toEqual(inA[22]);
    await allCounted();
    expect(await records(registryB, messages, 'decoded')).toBe(decodedBefore + 1);

    // From the start: everything B has of X, each once, in the room's order.
    const b3 = await h.connected(portB, bob);
    const [inB3, changesB3] = [inbox(b3), updates(b3)];
    await emitAck(b3, 'resume', { rooms: [{ roomId: x, after: -1 }] });
    expect(inB3).toEqual(inA);
    expect(positions(inB3)).toEqual([...positions(inB3)].sort((p, q) => p - q));
    expect(changesB3).toEqual(changesA);

    // Once X's last socket on B has left, B holds X raw again; a later resume still gets exactly the rest.
    b2.disconnect();
    b3.disconnect();
    await waitFor('X has no socket on B', () => !gatewayB.io.sockets.adapter.rooms.has(socketRoom(x)));
    const heldBefore = await records(registryB, messages, 'held');
    await send(a, x, 3);
    await waitFor('alice has the last three', () => inA.length === 26);
    await allCounted();
    expect(await records(registryB, messages, 'held')).toBe(heldBefore + 3);
    const b4 = await h.connected(portB, bob);
    const inB4: ChatMessage[] = inbox(b4);
    await emitAck(b4, 'resume', { rooms: [{ roomId: x, after: inA[22]!.position }] });
    expect(inB4).toEqual(inA.slice(23));
  });
});
