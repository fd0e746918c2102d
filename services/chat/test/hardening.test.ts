import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { ErrorReply, ReceiptNotice, SendAccepted } from '@chat/contracts';
import { startPrivateMongo, type PrivateServer } from '@chat/infra/private-servers';
import { chatModels, nativeCollection } from '@chat/message-store';
import { uniqueName } from '@chat/testkit';
import mongoose from 'mongoose';
import { setTimeout as sleep } from 'node:timers/promises';
import { Harness, emitAck, inbox, uniqueUsers, waitFor, type Client } from './support.js';

const codeOf = (reply: unknown) => (reply as ErrorReply).error?.code;

/** What a hostile or unlucky client found (issue 19), each against a real gateway, Kafka, Redis and MongoDB. */
describe('hardening against hostile clients', () => {
  const h = new Harness();
  let port: number;
  /** An instance with small caps (3 sockets per user, 12 per address, 3 rooms per socket). */
  let cappedPort: number;
  const [alice, bob, carol] = uniqueUsers('alice', 'bob', 'carol');

  beforeAll(async () => {
    await h.setUp();
    await h.startPersistence();
    [{ port }, { port: cappedPort }] = await Promise.all([
      h.gateway(),
      h.gateway({
        CHAT_MAX_CONNECTIONS_PER_USER: '3',
        CHAT_MAX_CONNECTIONS_PER_ADDRESS: '12',
        CHAT_MAX_ROOMS_PER_SOCKET: '3',
      }),
    ]);
  });
  afterAll(() => h.tearDown());

  async function sendOne(client: Client, roomId: string, text = 'hello'): Promise<string> {
    const ack = await emitAck(client, 'send', { roomId, clientMessageId: randomUUID(), text });
    expect(ack).toMatchObject({ status: 'accepted' });
    return (ack as SendAccepted).messageId;
  }

  it('refuses a receipt naming a message of another room or no message, and stores and shows nothing', async () => {
    const roomR = h.room([alice, bob]);
    const roomS = h.room([alice, carol]);
    const a = await h.connected(port, alice);
    const b = await h.connected(port, bob);
    await emitAck(a, 'resume', { rooms: [{ roomId: roomR }, { roomId: roomS }] });
    await emitAck(b, 'resume', { rooms: [{ roomId: roomR }] });
    const notices: ReceiptNotice[] = [];
    b.on('receipt', (notice) => notices.push(notice));
    const ofS = await sendOne(a, roomS);
    const ofR = await sendOne(b, roomR);
    await h.waitStored(roomS, 1);
    await h.waitStored(roomR, 1);

    const foreign = await emitAck(a, 'receipt', { roomId: roomR, messageId: ofS, status: 'read' });
    expect(codeOf(foreign)).toBe('UNKNOWN_MESSAGE');
    expect((foreign as ErrorReply).error.retryable).toBe(false);
    const missing = await emitAck(a, 'receipt', { roomId: roomR, messageId: randomUUID(), status: 'read' });
    expect(codeOf(missing)).toBe('UNKNOWN_MESSAGE');
    // The genuine receipt still works, and is the only one shown.
    expect(await emitAck(a, 'receipt', { roomId: roomR, messageId: ofR, status: 'read' })).toEqual({
      status: 'recorded',
    });
    await waitFor('the genuine receipt shown', () => notices.some((n) => n.messageId === ofR));
    expect(notices.filter((n) => n.messageId !== ofR)).toEqual([]);
    const receipts = h.models().Receipt;
    await waitFor(
      'the genuine receipt stored',
      async () => (await receipts.countDocuments({ messageId: ofR })) === 1,
    );
    expect(await receipts.countDocuments({ messageId: ofS })).toBe(0);
  });

  it('takes a clientMessageId or clientRequestId used again elsewhere as new work, never as a retry to swallow', async () => {
    const roomR = h.room([alice, bob]);
    const roomS = h.room([alice, bob]);
    const a = await h.connected(port, alice);
    const b = await h.connected(port, bob);
    const inB = inbox(b);
    await emitAck(b, 'resume', { rooms: [{ roomId: roomR }, { roomId: roomS }] });
    const inR = await emitAck(a, 'send', { roomId: roomR, clientMessageId: 'same', text: 'to R' });
    const inS = await emitAck(a, 'send', { roomId: roomS, clientMessageId: 'same', text: 'to S' });
    expect(inR).toMatchObject({ status: 'accepted' });
    expect(inS).toMatchObject({ status: 'accepted' });
    const [ofR, ofS] = [(inR as SendAccepted).messageId, (inS as SendAccepted).messageId];
    expect(ofS).not.toBe(ofR);
    await waitFor('bob receives both', () => inB.length === 2);
    expect(inB.map((m) => [m.roomId, m.messageId, m.text])).toEqual([
      [roomR, ofR, 'to R'],
      [roomS, ofS, 'to S'],
    ]);

    const second = await sendOne(a, roomR, 'second in R');
    await h.waitStored(roomR, 2);
    const change = { roomId: roomR, clientRequestId: 'q' };
    for (const reply of [
      await emitAck(a, 'edit', { ...change, messageId: ofR, text: 'R, edited' }),
      await emitAck(a, 'edit', { ...change, messageId: second, text: 'second, edited' }),
      await emitAck(a, 'delete', { ...change, messageId: second }),
    ])
      expect(reply).toEqual({ status: 'accepted' });
    await waitFor('every change stored', async () => {
      const stored = await h.stored(roomR);
      return stored[0]?.text === 'R, edited' && stored[1]?.deleted === true && stored;
    });
    expect((await h.stored(roomS)).map((m) => m.text)).toEqual(['to S']);
  });

  it('refuses text with lone or reversed surrogates (VALIDATION_FAILED) and stores nothing of it', async () => {
    const roomId = h.room([alice, bob]);
    const a = await h.connected(port, alice);
    for (const text of ['a\ud800b', 'x\udc00', '\udc00\ud800', 'end\ud83d']) {
      const reply = await emitAck(a, 'send', { roomId, clientMessageId: randomUUID(), text });
      expect(reply).toMatchObject({
        error: { code: 'VALIDATION_FAILED', details: ['text: string.wellFormed'] },
      });
    }
    await sendOne(a, roomId, 'fine 😀 text');
    const stored = await h.waitStored(roomId, 1);
    expect(stored.map((m) => m.text)).toEqual(['fine 😀 text']);
  });

  it('refuses an own __proto__ key in every client event as an unknown key', async () => {
    const roomId = h.room([alice, bob]);
    const a = await h.connected(port, alice);
    const b = await h.connected(port, bob);
    await emitAck(b, 'resume', { rooms: [{ roomId }] });
    const messageId = await sendOne(b, roomId);
    const withProto = (json: string) => JSON.parse(json) as never;
    const proto = '"__proto__":{"isAdmin":true}';
    const payloads = {
      send: withProto(`{"roomId":"${roomId}","clientMessageId":"p-1","text":"x",${proto}}`),
      history: withProto(`{"roomId":"${roomId}",${proto}}`),
      resume: withProto(`{"rooms":[{"roomId":"${roomId}",${proto}}]}`),
      receipt: withProto(`{"roomId":"${roomId}","messageId":"${messageId}","status":"read",${proto}}`),
    };
    for (const [event, payload] of Object.entries(payloads)) {
      const reply = await emitAck(a, event as 'send', payload);
      expect(reply, event).toMatchObject({
        error: { code: 'VALIDATION_FAILED', details: ['payload: object.unknown'] },
      });
    }
    const typing: unknown[] = [];
    b.on('typing', (notice) => typing.push(notice));
    await emitAck(a, 'resume', { rooms: [{ roomId }] });
    a.emit('typing', withProto(`{"roomId":"${roomId}","typing":true,${proto}}`));
    await sendOne(a, roomId, 'marker');
    await h.waitStored(roomId, 2);
    expect(typing).toEqual([]);
    expect(await h.storedCount({ roomId, clientMessageId: 'p-1' })).toBe(0);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('names failing fields by their schema path, never echoing keys or values, bounded', async () => {
    const roomId = h.room([alice]);
    const a = await h.connected(port, alice);
    const evil = `<img src=x onerror=alert(1)>${'k'.repeat(400)}`;
    const replies = await Promise.all([
      emitAck(a, 'send', { roomId, clientMessageId: 'd-1', text: 'x', [evil]: 1 } as never),
      emitAck(a, 'resume', { rooms: [{ roomId, [evil]: evil }] } as never),
      emitAck(a, 'history', { roomId: evil, limit: evil } as never),
    ]);
    for (const reply of replies) {
      const { details } = (reply as ErrorReply).error;
      expect(details?.length).toBeGreaterThan(0);
      for (const detail of details!) {
        expect(detail.length).toBeLessThanOrEqual(300);
        expect(detail).not.toMatch(/[<>]|kkkk/);
      }
    }
    expect((replies[0] as ErrorReply).error.details).toEqual(['payload: object.unknown']);
    expect((replies[1] as ErrorReply).error.details).toContain('rooms.0: object.unknown');
  });

  it('caps sockets per user and per address with TOO_MANY_CONNECTIONS, and frees a slot on disconnect', async () => {
    const connectError = (client: Client) =>
      new Promise<unknown>((resolve) => {
        client.once('connect', () => resolve('connected'));
        client.once('connect_error', (error) => resolve((error as Error & { data?: unknown }).data));
      });
    const user = uniqueName('many');
    const sockets = await Promise.all([1, 2, 3].map(() => h.connected(cappedPort, user)));
    const fourth = await h.client(cappedPort, user);
    expect(await connectError(fourth)).toMatchObject({
      error: { code: 'TOO_MANY_CONNECTIONS', retryable: false },
    });
    sockets[0]!.disconnect();
    await waitFor('a slot is free again', async () => {
      const again = await h.client(cappedPort, user);
      const outcome = await connectError(again);
      again.disconnect();
      return outcome === 'connected';
    });
    // Per address: twelve sockets of any users from 127.0.0.1 (two still open above), then refused.
    const others = await Promise.all(
      Array.from({ length: 10 }, () => h.client(cappedPort, uniqueName('someone'))).map(async (pending) => {
        const client = await pending;
        return { client, outcome: await connectError(client) };
      }),
    );
    const refused = others.filter(({ outcome }) => outcome !== 'connected');
    expect(refused.length).toBe(0);
    const overAddress = await h.client(cappedPort, uniqueName('one-more'));
    expect(await connectError(overAddress)).toMatchObject({ error: { code: 'TOO_MANY_CONNECTIONS' } });
    for (const { client } of others) client.disconnect();
    for (const socket of sockets) socket.disconnect();
  });

  it('refuses duplicate rooms in one resume and bounds the rooms one socket may join', async () => {
    const rooms = [1, 2, 3, 4].map(() => h.room([alice]));
    const a = await h.connected(cappedPort, alice);
    const duplicate = await emitAck(a, 'resume', {
      rooms: [{ roomId: rooms[0]! }, { roomId: rooms[0]!, after: -1 }],
    });
    expect(duplicate).toMatchObject({
      error: { code: 'VALIDATION_FAILED', details: ['rooms.1: array.unique'] },
    });
    const reply = await emitAck(a, 'resume', { rooms: rooms.map((roomId) => ({ roomId })) });
    expect(reply).toMatchObject({
      rooms: [{ roomId: rooms[0] }, { roomId: rooms[1] }, { roomId: rooms[2] }, { roomId: rooms[3] }],
    });
    const results = (reply as { rooms: { roomId: string; error?: { code: string } }[] }).rooms;
    expect(results.slice(0, 3).every((room) => !room.error)).toBe(true);
    expect(results[3]!.error?.code).toBe('TOO_MANY_ROOMS');
    // Resuming a room already joined does not count twice.
    const again = await emitAck(a, 'resume', { rooms: [{ roomId: rooms[0]! }] });
    expect((again as { rooms: { error?: unknown }[] }).rooms[0]!.error).toBeUndefined();
  });
});

/**
 * A hung database (SIGSTOP: connections open, nothing answered) behind one
 * gateway: every request with an ack is answered within the deadline, with a
 * retryable error where the database was needed, during a burst of valid and
 * malformed requests from ten members.
 */
describe('request deadlines with a hung database', () => {
  const h = new Harness();
  let mongo: PrivateServer;
  let port: number;
  const DEADLINE_MS = 1_500;
  const members = Array.from({ length: 10 }, () => uniqueName('member'));

  beforeAll(async () => {
    mongo = await startPrivateMongo();
    await h.setUp();
    ({ port } = await h.gateway({
      MONGODB_URL: mongo.url,
      CHAT_REQUEST_DEADLINE_MS: String(DEADLINE_MS),
      CHAT_SEND_TIMEOUT_MS: '1000',
      CHAT_HISTORY_QUERY_MS: '1000',
      CHAT_RATE_LIMIT_POINTS: '100000',
    }));
  });
  afterAll(async () => {
    await h.tearDown();
    await mongo.dispose();
  });

  /** Ten members' burst of history reads, a third malformed, each answered in time (not all with a page). */
  const burst = (clients: Client[], roomId: string) => {
    const started = Date.now();
    return Promise.all(
      clients.flatMap((client, c) =>
        Array.from({ length: 20 }, (_, i) => {
          const payload =
            i % 4 === 3
              ? { roomId, before: -5 }
              : i % 4 === 2
                ? { roomId, junk: 1 }
                : { roomId, before: 1 + ((c * 37 + i * 101) % 2_900) };
          const answered = emitAck(client, 'history', payload as never).then((reply) => ({
            reply,
            ms: Date.now() - started,
          }));
          return Promise.race([answered, sleep(DEADLINE_MS + 3_000, { reply: 'no answer', ms: Infinity })]);
        }),
      ),
    );
  };

  it('answers every history request of a burst within the deadline over a database that scans for each read', async () => {
    const roomId = h.room(members);
    // FerretDB v1 scans the collection for every history read (no index pushdown): 3,000 messages make each one slow.
    const connection = await mongoose.createConnection(mongo.url).asPromise();
    const now = new Date();
    await nativeCollection(chatModels(connection).Message).insertMany(
      Array.from({ length: 3_000 }, (_, position) => ({
        _id: randomUUID(),
        roomId,
        senderId: members[0]!,
        clientMessageId: `c-${position}`,
        text: 'x'.repeat(200),
        sentAt: now,
        position,
        eventId: randomUUID(),
        correlationId: randomUUID(),
        persistedAt: now,
      })),
    );
    await connection.close();
    const clients = await Promise.all(members.map((member) => h.connected(port, member)));
    const answers = await burst(clients, roomId);
    for (const { reply, ms } of answers) {
      expect(ms).toBeLessThan(DEADLINE_MS + 2_000);
      if (codeOf(reply) !== undefined) {
        expect(['VALIDATION_FAILED', 'UNAVAILABLE', 'RATE_LIMITED', 'OVERLOADED']).toContain(codeOf(reply));
      } else expect(reply).toHaveProperty('messages');
    }
    for (const client of clients) client.disconnect();
  }, 60_000);

  it('answers every history request of a burst within the deadline while MongoDB hangs', async () => {
    const roomId = h.room(members);
    const clients = await Promise.all(members.map((member) => h.connected(port, member)));
    // A history read before the freeze proves the database works (and opens the pool's connections).
    // On a loaded machine the scanning burst before this one can leave the read path refusing for a moment.
    await waitFor(
      'history answers from the database before the freeze',
      async () => {
        const reply = await emitAck(clients[0]!, 'history', { roomId });
        return (reply as { source?: string }).source === 'database';
      },
      { intervalMs: 250 },
    );
    mongo.freeze();
    try {
      const answers = await burst(clients, roomId);
      for (const { reply, ms } of answers) {
        expect(ms).toBeLessThan(DEADLINE_MS + 2_000);
        // Past a user's (RATE_LIMITED) or the instance's (OVERLOADED) bound a read is refused at once; the rest time out as UNAVAILABLE.
        expect(['VALIDATION_FAILED', 'UNAVAILABLE', 'RATE_LIMITED', 'OVERLOADED']).toContain(codeOf(reply));
      }
      const retryable = answers.filter(({ reply }) => codeOf(reply) !== 'VALIDATION_FAILED');
      expect(retryable.every(({ reply }) => (reply as ErrorReply).error.retryable)).toBe(true);
    } finally {
      mongo.thaw();
    }
    await waitFor('history answers again once MongoDB is back', async () => {
      const reply = await emitAck(clients[1]!, 'history', { roomId });
      return 'messages' in reply;
    });
  }, 60_000);
});
