import type { SendAccepted, UnreadResult } from '@chat/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness, emitAck, inbox, uniqueUsers, waitFor, type Client } from './support.js';

/** Unread counts from the stored read watermarks and the recent cache (docs/protocol.md, "Unread counts"). */
describe('unread counts', () => {
  const h = new Harness();
  let port: number;
  const [alice, bob, mallory] = uniqueUsers('alice', 'bob', 'mallory');

  beforeAll(async () => {
    await h.setUp();
    // The smallest cache allowed, so a watermark can fall before it.
    await h.startPersistence({ PERSISTENCE_RECENT_CACHE_LENGTH: '10' });
    ({ port } = await h.gateway({ CHAT_RECENT_CACHE_LENGTH: '10' }));
  });
  afterAll(() => h.tearDown());

  async function sendAll(client: Client, roomId: string, texts: string[]): Promise<string[]> {
    const ids: string[] = [];
    for (const [index, text] of texts.entries()) {
      const ack = await emitAck(client, 'send', { roomId, clientMessageId: `${roomId}-${index}`, text });
      ids.push((ack as SendAccepted).messageId);
    }
    return ids;
  }

  async function readUpTo(client: Client, roomId: string, messageId: string) {
    expect(await emitAck(client, 'receipt', { roomId, messageId, status: 'read' })).toEqual({
      status: 'recorded',
    });
    await waitFor(
      'the read receipt stored',
      async () => (await h.models().Receipt.countDocuments({ messageId, userId: bob, rank: 2 })) === 1,
    );
  }

  it('counts messages from others after the stored watermark, mentions apart, for many rooms in one request', async () => {
    const [near, far, untouched] = [h.room([alice, bob]), h.room([alice, bob]), h.room([alice, bob])];
    const foreign = h.room([alice, mallory]);
    const a = await h.connected(port, alice);
    const b = await h.connected(port, bob);
    const seen = inbox(b);
    await emitAck(b, 'resume', { rooms: [near, far, untouched].map((roomId) => ({ roomId })) });

    // near: Bob read the 2nd of 5; the watermark lies inside the cache, so the count is exact.
    const nearIds = await sendAll(a, near, ['one', 'two', 'three', `hey @${bob}`, 'five']);
    // far: Bob read the 1st of 14; the cache holds the newest 10 only, so the count is a lower bound.
    const farIds = await sendAll(
      a,
      far,
      Array.from({ length: 14 }, (_, i) => `far ${i}`),
    );
    const untouchedIds = await sendAll(a, untouched, ['a', 'b']);
    await waitFor('bob got everything', () => seen.length === 21);
    await readUpTo(b, near, nearIds[1]!);
    await readUpTo(b, far, farIds[0]!);
    await h.waitStored(far, 14);
    for (const [roomId, ids] of [
      [near, nearIds],
      [far, farIds],
      [untouched, untouchedIds],
    ] as const)
      await h.waitCached(roomId, ids.at(-1)!);

    const reply = (await emitAck(b, 'unread', {
      rooms: [near, far, untouched, foreign],
      handle: bob,
    })) as UnreadResult;
    const position = (id: string) => seen.find((message) => message.messageId === id)!.position;
    expect(reply.rooms).toEqual([
      { roomId: near, readPosition: position(nearIds[1]!), unread: 3, mentions: 1, atLeast: false },
      { roomId: far, readPosition: position(farIds[0]!), unread: 10, mentions: 0, atLeast: true },
      { roomId: untouched, readPosition: -1, unread: 2, mentions: 0, atLeast: true },
      { roomId: foreign, error: expect.objectContaining({ code: 'NOT_A_MEMBER' }) },
    ]);

    // Alice's own messages are never unread for her.
    const own = (await emitAck(a, 'unread', { rooms: [near] })) as UnreadResult;
    expect(own.rooms[0]).toMatchObject({ unread: 0, readPosition: -1 });
  });

  it('refuses a bad request without echoing it', async () => {
    const b = await h.connected(port, bob);
    const reply = await emitAck(b, 'unread', { rooms: ['r', 'r'], handle: 'Not A Handle' } as never);
    expect(reply).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    expect(JSON.stringify(reply)).not.toContain('Not A Handle');
  });
});
