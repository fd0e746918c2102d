import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyMessageUpdate,
  type ChatMessage,
  type HistoryPage,
  type MessageUpdate,
  type SendAccepted,
} from '@chat/contracts';
import { uniqueName } from '@chat/testkit';
import { Harness, emitAck, inbox, uniqueUsers, waitFor, type Client } from './support.js';

/** Collects a client's `message-updated` events. */
function updates(client: Client): MessageUpdate[] {
  const received: MessageUpdate[] = [];
  client.on('message-updated', (update) => received.push(update));
  return received;
}

/** What a client shows: its messages with every update applied, the way the page does it. */
const shown = (messages: ChatMessage[], changes: MessageUpdate[]): Map<string, ChatMessage> => {
  const byId = new Map(messages.map((message) => [message.messageId, message]));
  const stream = [
    ...messages.map((message) => ({ position: message.position, message })),
    ...changes.map((update) => ({ position: update.position, update })),
  ].sort((a, b) => a.position - b.position);
  for (const item of stream) {
    if ('update' in item) {
      const held = byId.get(item.update.messageId);
      if (held) byId.set(held.messageId, applyMessageUpdate(held, item.update));
    }
  }
  return byId;
};

describe('edit and delete through the gateway', () => {
  const h = new Harness();
  let portA: number;
  let portB: number;
  let portSmall: number;
  const [alice, bob, carol] = uniqueUsers('alice', 'bob', 'carol');

  beforeAll(async () => {
    await h.setUp();
    await h.startPersistence();
    [{ port: portA }, { port: portB }, { port: portSmall }] = await Promise.all([
      h.gateway(),
      h.gateway(),
      // A memory window of ten: a reconnect after more than that catches up from the cache and the store.
      h.gateway({ CHAT_WINDOW_PER_ROOM: '10' }),
    ]);
  });
  afterAll(() => h.tearDown());

  async function sendAll(client: Client, roomId: string, texts: string[]): Promise<string[]> {
    const ids: string[] = [];
    for (const text of texts) {
      const ack = (await emitAck(client, 'send', {
        roomId,
        clientMessageId: uniqueName('c'),
        text,
      })) as SendAccepted;
      ids.push(ack.messageId);
    }
    return ids;
  }

  it('the sender edits and deletes, an admin deletes, others are refused; every member sees it live and history shows the final state', async () => {
    const roomId = h.room([alice, bob, carol], [], [carol]);
    const a = await h.connected(portA, alice);
    const b = await h.connected(portB, bob);
    const c = await h.connected(portA, carol);
    const [inB, changesB] = [inbox(b), updates(b)];
    for (const client of [a, b, c]) await emitAck(client, 'resume', { rooms: [{ roomId, after: -1 }] });
    const [first, second, third] = await sendAll(a, roomId, ['one', 'two', 'three']);
    await waitFor('bob has the three', () => inB.length === 3);

    const edit = (client: Client, messageId: string, clientRequestId: string, text: string) =>
      emitAck(client, 'edit', { roomId, messageId, clientRequestId, text });
    const remove = (client: Client, messageId: string, clientRequestId: string) =>
      emitAck(client, 'delete', { roomId, messageId, clientRequestId });

    expect(await edit(a, first!, 'e1', 'one, edited')).toEqual({ status: 'accepted' });
    // A retry of the same edit changes nothing more.
    expect(await edit(a, first!, 'e1', 'one, edited')).toEqual({ status: 'accepted' });
    expect(await edit(a, first!, 'e2', 'one, edited twice')).toEqual({ status: 'accepted' });
    expect(await edit(b, first!, 'b1', 'not mine')).toMatchObject({ error: { code: 'NOT_ALLOWED' } });
    expect(await remove(b, second!, 'b2')).toMatchObject({ error: { code: 'NOT_ALLOWED' } });
    expect(await edit(c, first!, 'c0', 'admins do not edit')).toMatchObject({
      error: { code: 'NOT_ALLOWED' },
    });
    expect(await remove(c, second!, 'c1')).toEqual({ status: 'accepted' });
    expect(await remove(a, third!, 'a3')).toEqual({ status: 'accepted' });
    expect(await edit(a, crypto.randomUUID(), 'e3', 'nothing')).toMatchObject({
      error: { code: 'UNKNOWN_MESSAGE' },
    });

    await waitFor('bob saw four changes', () => changesB.length === 4);
    expect(changesB.map((u) => [u.messageId, u.change, u.text])).toEqual([
      [first, 'edited', 'one, edited'],
      [first, 'edited', 'one, edited twice'],
      [second, 'deleted', undefined],
      [third, 'deleted', undefined],
    ]);
    // Once it is deleted it cannot be edited.
    await waitFor('the delete is known', async () => {
      const reply = await edit(a, third!, 'e4', 'back again');
      return 'error' in reply && reply.error.code === 'UNKNOWN_MESSAGE';
    });
    // ...but a retry of the delete itself (its ack lost) is answered as the first attempt was.
    expect(await remove(a, third!, 'a3')).toEqual({ status: 'accepted' });

    await waitFor('the store has the final state', async () => {
      const stored = await h.stored(roomId);
      return stored.filter((m) => m.deleted).length === 2 && stored[0]?.text === 'one, edited twice';
    });
    const stored = await h.stored(roomId);
    expect(stored.map((m) => [m.text, m.deleted ?? false])).toEqual([
      ['one, edited twice', false],
      ['', true],
      ['', true],
    ]);
    const page = (await emitAck(b, 'history', { roomId })) as HistoryPage;
    expect(page.messages.map((m) => [m.text, m.deleted ?? false, m.editedAt !== undefined])).toEqual([
      ['one, edited twice', false, true],
      ['', true, false],
      ['', true, false],
    ]);
    expect(await h.storedCount({ roomId })).toBe(3);
  });

  for (const [label, port] of [
    ['from memory', () => portA],
    ['from the recent cache and the store (past a ten-message window)', () => portSmall],
  ] as const) {
    it(`catch-up after an edit and a delete returns the final state, ${label}`, async () => {
      const roomId = h.room([alice, bob]);
      const a = await h.connected(portA, alice);
      let b = await h.connected(port(), bob);
      const before = inbox(b);
      await emitAck(b, 'resume', { rooms: [{ roomId, after: -1 }] });
      const [first, second] = await sendAll(a, roomId, ['one', 'two', 'three']);
      await waitFor('bob has the three', () => before.length === 3);
      const last = before[2]!.position;
      b.disconnect();

      await emitAck(a, 'edit', {
        roomId,
        messageId: first!,
        clientRequestId: uniqueName('e'),
        text: 'one, edited',
      });
      await emitAck(a, 'delete', { roomId, messageId: second!, clientRequestId: uniqueName('d') });
      const later = await sendAll(
        a,
        roomId,
        Array.from({ length: 15 }, (_, i) => `later ${i}`),
      );
      await h.waitStored(roomId, 18);

      b = await h.connected(port(), bob);
      const [missed, changes] = [inbox(b), updates(b)];
      const reply = await emitAck(b, 'resume', { rooms: [{ roomId, after: last }] });
      expect(reply).toMatchObject({ rooms: [{ roomId, caughtUp: 17 }] });
      expect(missed.map((m) => m.messageId)).toEqual(later);
      const view = shown([...before, ...missed], changes);
      expect(view.get(first!)).toMatchObject({ text: 'one, edited' });
      expect(view.get(first!)?.editedAt).toBeDefined();
      expect(view.get(second!)).toMatchObject({ text: '', deleted: true });
      const stored = await h.stored(roomId);
      expect([...view.values()].map((m) => m.text)).toEqual(stored.map((m) => m.text));
    });
  }
});
