import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorReply, ReceiptNotice, RoomsChangedNotice, SendAccepted } from '@chat/contracts';
import { uniqueName } from '@chat/testkit';
import type { Gateway } from '../src/gateway.js';
import { Harness, emitAck, inbox, waitFor, type Client } from './support.js';

describe('the chat gateway, two instances', () => {
  const h = new Harness();
  let portA: number;
  let portB: number;
  let gatewayA: Gateway;
  let gatewayB: Gateway;
  const [alice, bob, mallory] = ['alice', 'bob', 'mallory'].map((name) => uniqueName(name)) as [
    string,
    string,
    string,
  ];

  beforeAll(async () => {
    await h.setUp();
    await h.startPersistence();
    [{ port: portA, gateway: gatewayA }, { port: portB, gateway: gatewayB }] = await Promise.all([
      h.gateway(),
      h.gateway(),
    ]);
  });
  afterAll(() => h.tearDown());

  async function join(client: Client, roomId: string, after?: number) {
    const reply = await emitAck(client, 'resume', {
      rooms: [after === undefined ? { roomId } : { roomId, after }],
    });
    expect(reply).toHaveProperty('rooms');
    return reply;
  }

  it('two users on different instances exchange messages and see one order, equal to stored history', async () => {
    const roomId = h.room([alice, bob]);
    const a = await h.connected(portA, alice);
    const b = await h.connected(portB, bob);
    const [inA, inB] = [inbox(a), inbox(b)];
    await join(a, roomId, -1);
    await join(b, roomId, -1);
    const acks = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        emitAck(i % 2 ? b : a, 'send', { roomId, clientMessageId: `c-${i}`, text: `hello ${i}` }),
      ),
    );
    for (const ack of acks) expect(ack).toMatchObject({ status: 'accepted' });
    await waitFor('both received 40', () => inA.length >= 40 && inB.length >= 40);
    const stored = await h.waitStored(roomId, 40);
    const order = (list: { messageId: string }[]) => list.map((m) => m.messageId);
    expect(order(inA)).toEqual(order(inB));
    expect(order(inA)).toEqual(stored.map((m) => m._id));
    expect(inA.map((m) => m.position)).toEqual(stored.map((m) => m.position));
    expect(new Set(acks.map((ack) => (ack as SendAccepted).messageId))).toEqual(new Set(order(inA)));
    // The sender is the token's user, whatever client sent it.
    expect(new Set(stored.map((m) => m.senderId))).toEqual(new Set([alice, bob]));
    // A's delivery took the 20 records A published as they were sent, and parsed B's 20.
    const decodes = await (await fetch(`http://127.0.0.1:${portA}/metrics`)).text();
    const count = (source: string) =>
      Number(new RegExp(`^chat_event_decodes_total\\{source="${source}"\\} (\\d+)$`, 'm').exec(decodes)?.[1]);
    expect(count('published')).toBeGreaterThanOrEqual(20);
    expect(count('parsed')).toBeGreaterThanOrEqual(20);
  });

  it('a resend with the same clientMessageId yields the same messageId, one stored message and one bubble', async () => {
    const roomId = h.room([alice, bob]);
    const a = await h.connected(portA, alice);
    const a2 = await h.connected(portB, alice);
    const b = await h.connected(portB, bob);
    const inB = inbox(b);
    await join(b, roomId, -1);
    const send = { roomId, clientMessageId: 'same-1', text: 'once' };
    const [first, concurrent] = await Promise.all([emitAck(a, 'send', send), emitAck(a2, 'send', send)]);
    const again = await emitAck(a, 'send', send);
    expect(first).toMatchObject({ status: 'accepted' });
    expect((concurrent as SendAccepted).messageId).toBe((first as SendAccepted).messageId);
    expect((again as SendAccepted).messageId).toBe((first as SendAccepted).messageId);
    await emitAck(a, 'send', { roomId, clientMessageId: 'after', text: 'marker' });
    await waitFor('marker delivered', () => inB.some((m) => m.clientMessageId === 'after'));
    await h.waitStored(roomId, 2);
    expect(inB.filter((m) => m.clientMessageId === 'same-1')).toHaveLength(1);
    expect(await h.storedCount({ roomId, clientMessageId: 'same-1' })).toBe(1);
  });

  it('a client offline while 200 messages are sent reconnects to the other instance and gets exactly those 200, then live ones', async () => {
    const roomId = h.room([alice, bob]);
    const a = await h.connected(portA, alice);
    let b = await h.connected(portA, bob);
    let inB = inbox(b);
    await join(a, roomId, -1);
    await join(b, roomId, -1);
    await emitAck(a, 'send', { roomId, clientMessageId: 'before', text: 'before the drop' });
    await waitFor('first message', () => inB.length === 1);
    const last = inB[0]!.position;
    b.disconnect();
    const acks = [];
    for (let i = 0; i < 200; i += 20) {
      acks.push(
        ...(await Promise.all(
          Array.from({ length: 20 }, (_, j) =>
            emitAck(a, 'send', { roomId, clientMessageId: `off-${i + j}`, text: `missed ${i + j}` }),
          ),
        )),
      );
    }
    for (const ack of acks) expect(ack).toMatchObject({ status: 'accepted' });
    b = await h.connected(portB, bob);
    inB = inbox(b);
    const live = emitAck(a, 'send', { roomId, clientMessageId: 'live-0', text: 'live' });
    const reply = await join(b, roomId, last);
    await live;
    await waitFor('201 messages after the drop', () => inB.length >= 201);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stored = await h.waitStored(roomId, 202);
    expect(inB.map((m) => m.messageId)).toEqual(stored.slice(1).map((m) => m._id));
    expect(inB.slice(0, 201).filter((m) => m.clientMessageId.startsWith('off-'))).toHaveLength(200);
    expect(reply).toMatchObject({ rooms: [{ roomId }] });
  });

  it('refuses a missing, forged or expired token at the handshake, with the documented code', async () => {
    const reasons: unknown[] = [];
    for (const token of [undefined, 'not-a-jwt', `${(await h.token(alice)).slice(0, -4)}AAAA`]) {
      const client = token === undefined ? await h.client(portA, null) : await h.client(portA, alice, token);
      reasons.push(
        await new Promise((resolve) =>
          client.once('connect_error', (error) => resolve((error as Error & { data: unknown }).data)),
        ),
      );
    }
    expect(reasons).toEqual([
      { error: { code: 'AUTH_MISSING', message: expect.any(String), retryable: false } },
      { error: { code: 'AUTH_INVALID', message: expect.any(String), retryable: false } },
      { error: { code: 'AUTH_INVALID', message: expect.any(String), retryable: false } },
    ]);
  });

  it('refuses non-members, forged senders, oversized and malformed payloads, and stores nothing', async () => {
    const roomId = h.room([alice, bob]);
    const m = await h.connected(portA, mallory);
    expect(await emitAck(m, 'send', { roomId, clientMessageId: 'x1', text: 'let me in' })).toMatchObject({
      error: { code: 'NOT_A_MEMBER', retryable: false },
    });
    expect(await emitAck(m, 'history', { roomId })).toMatchObject({ error: { code: 'NOT_A_MEMBER' } });
    expect(await emitAck(m, 'resume', { rooms: [{ roomId, after: -1 }] })).toMatchObject({
      rooms: [{ roomId, error: { code: 'NOT_A_MEMBER' } }],
    });
    const a = await h.connected(portA, alice);
    const forged = await emitAck(a, 'send', {
      roomId,
      clientMessageId: 'x2',
      text: 'hi',
      senderId: bob,
    } as never);
    expect(forged).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    expect(await emitAck(a, 'send', { roomId, clientMessageId: 'x3', text: 'x'.repeat(4001) })).toMatchObject(
      { error: { code: 'PAYLOAD_TOO_LARGE' } },
    );
    expect(await emitAck(a, 'send', 'just a string' as never)).toMatchObject({
      error: { code: 'VALIDATION_FAILED' },
    });
    expect(
      await emitAck(a, 'send', { roomId: { $ne: null }, clientMessageId: 'x4', text: 'hi' } as never),
    ).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    expect(await emitAck(a, 'send', { roomId: 'a$where', clientMessageId: 'x5', text: 'hi' })).toMatchObject({
      error: { code: 'VALIDATION_FAILED' },
    });
    // A frame over the size limit closes the connection.
    const closed = new Promise((resolve) => a.once('disconnect', resolve));
    a.emit('send', { roomId, clientMessageId: 'x6', text: 'x'.repeat(40_000) }, () => undefined);
    await closed;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await h.storedCount({ roomId })).toBe(0);
  });

  it('refuses a sender a room admin blocked, who still reads the room, and stores nothing of theirs', async () => {
    const roomId = h.room([alice, bob], [bob]);
    const a = await h.connected(portA, alice);
    const b = await h.connected(portB, bob);
    const inB = inbox(b);
    await join(b, roomId, -1);
    expect(await emitAck(b, 'send', { roomId, clientMessageId: 'muted-1', text: 'hi' })).toMatchObject({
      error: { code: 'SENDER_BLOCKED', retryable: false },
    });
    expect(await emitAck(a, 'send', { roomId, clientMessageId: 'ok-1', text: 'hi bob' })).toMatchObject({
      status: 'accepted',
    });
    await waitFor('bob reads what alice sent', () => inB.length === 1);
    expect(await h.waitStored(roomId, 1)).toMatchObject([{ senderId: alice }]);
    expect(await h.storedCount({ roomId, senderId: bob })).toBe(0);
  });

  it('tells added and removed members on every instance to refresh their rooms; the removed stop receiving and typing at once', async () => {
    const roomId = h.room([alice, bob]);
    const aliceOnB = await h.connected(portB, alice);
    const bobOnA = await h.connected(portA, bob);
    const bobOnB = await h.connected(portB, bob);
    const notices: RoomsChangedNotice[] = [];
    for (const socket of [bobOnA, bobOnB]) socket.on('rooms-changed', (notice) => notices.push(notice));
    const toAlice = inbox(aliceOnB);
    const toBob = inbox(bobOnB);
    await join(aliceOnB, roomId, -1);
    await join(bobOnB, roomId, -1);

    // What every instance's membership listener does when it hears that Bob was removed.
    for (const gateway of [gatewayA, gatewayB]) {
      gateway.membershipChanged({ roomId, addedUserIds: [], removedUserIds: [bob] });
    }
    await waitFor('both of bob’s sockets told', () => notices.length === 2);
    expect(notices).toEqual([
      { roomId, member: false },
      { roomId, member: false },
    ]);
    const typing: string[] = [];
    aliceOnB.on('typing', (notice) => typing.push(notice.userId));
    bobOnB.emit('typing', { roomId, typing: true });
    const sent = await emitAck(aliceOnB, 'send', { roomId, clientMessageId: 'after-removal', text: 'bye' });
    expect(sent).toMatchObject({ status: 'accepted' });
    await waitFor('alice gets her message', () => toAlice.length === 1);
    // Sent to the room's sockets at the same moment: give Bob's copy, were there one, time to land.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(toBob).toEqual([]);
    expect(typing).toEqual([]);

    gatewayA.membershipChanged({ roomId, addedUserIds: [bob], removedUserIds: [] });
    await waitFor('bob’s socket on A told', () => notices.length === 3);
    expect(notices[2]).toEqual({ roomId, member: true });
  });

  it('tells the sockets in a room that it changed (a rename, a block), on every instance', async () => {
    const roomId = h.room([alice, bob]);
    const aliceOnA = await h.connected(portA, alice);
    const bobOnB = await h.connected(portB, bob);
    const notices: [string, RoomsChangedNotice][] = [];
    aliceOnA.on('rooms-changed', (notice) => notices.push(['alice', notice]));
    bobOnB.on('rooms-changed', (notice) => notices.push(['bob', notice]));
    await join(aliceOnA, roomId);
    await join(bobOnB, roomId);

    // What every instance's membership listener does when it hears room.renamed: nobody added or removed.
    for (const gateway of [gatewayA, gatewayB]) {
      gateway.membershipChanged({ roomId, addedUserIds: [], removedUserIds: [] });
    }
    await waitFor('both members told', () => notices.length === 2);
    expect(notices.sort()).toEqual([
      ['alice', { roomId, member: true }],
      ['bob', { roomId, member: true }],
    ]);
  });

  it('refuses a flood with RATE_LIMITED and retryAfterMs', async () => {
    const { port } = await h.gateway({ CHAT_RATE_LIMIT_POINTS: '5' });
    const roomId = h.room([alice]);
    const a = await h.connected(port, alice);
    const inA = inbox(a);
    await join(a, roomId);
    const replies = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        emitAck(a, 'send', { roomId, clientMessageId: `flood-${i}`, text: 'spam' }),
      ),
    );
    const limited = replies.filter((reply) => 'error' in reply && reply.error.code === 'RATE_LIMITED');
    expect(limited.length).toBeGreaterThanOrEqual(7);
    expect(limited[0]).toMatchObject({ error: { retryable: true, retryAfterMs: expect.any(Number) } });
    // A limited send took its reservation in the same round trip and gave it back: its retry publishes.
    const refusedIndex = replies.findIndex((reply) => 'error' in reply);
    const retry = { roomId, clientMessageId: `flood-${refusedIndex}`, text: 'spam' };
    // Only the budget may refuse it: a reservation left behind would answer UNAVAILABLE for 15 s.
    for (;;) {
      const reply = await emitAck(a, 'send', retry);
      if ('status' in reply) {
        expect(reply.status).toBe('accepted');
        break;
      }
      expect(reply.error.code).toBe('RATE_LIMITED');
      await sleep(reply.error.retryAfterMs ?? 100);
    }
    await waitFor('the retried message is delivered', () =>
      inA.some((m) => m.clientMessageId === retry.clientMessageId),
    );
    expect(await h.waitStored(roomId, replies.length - limited.length + 1)).toHaveLength(
      replies.length - limited.length + 1,
    );
  });

  it('refuses sends with OVERLOADED while its event loop runs late, and takes the same send once it is not', async () => {
    const { port } = await h.gateway({ CHAT_SHED_LOOP_DELAY_MS: '40' });
    const roomId = h.room([alice]);
    const a = await h.connected(port, alice);
    const send = { roomId, clientMessageId: 'late-loop', text: 'hold on' };
    let refused: ErrorReply | undefined;
    // A busy loop in this process is the gateway's stalled event loop: a second's stall sheds every new send.
    const stall = () => {
      const until = Date.now() + 1_000;
      while (Date.now() < until);
    };
    for (let attempt = 0; attempt < 5 && !refused; attempt += 1) {
      stall();
      const reply = await emitAck(a, 'send', send);
      if ('error' in reply) refused = reply;
    }
    expect(refused).toMatchObject({
      error: { code: 'OVERLOADED', retryable: true, retryAfterMs: expect.any(Number) },
    });
    stall();
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/^chat_send_shed_share 1$/m);
    await waitFor('the send is taken once the loop is on time', async () => {
      const reply = await emitAck(a, 'send', send);
      return 'status' in reply && reply.status === 'accepted';
    });
    expect(await h.waitStored(roomId, 1)).toHaveLength(1);
  });

  it('moves receipts forward only, treats repeats as no-ops, and shows them to members', async () => {
    const roomId = h.room([alice, bob]);
    const a = await h.connected(portA, alice);
    const b = await h.connected(portB, bob);
    await join(a, roomId, -1);
    await join(b, roomId, -1);
    const notices: ReceiptNotice[] = [];
    a.on('receipt', (notice) => notices.push(notice));
    const inB = inbox(b);
    const sent = (await emitAck(a, 'send', {
      roomId,
      clientMessageId: 'r-1',
      text: 'tick me',
    })) as SendAccepted;
    const { messageId } = sent;
    // A client ticks what it has received: before that, its instance may not know the message yet.
    await waitFor('bob receives the message', () => inB.some((m) => m.messageId === messageId));
    expect(await emitAck(b, 'receipt', { roomId, messageId, status: 'delivered' })).toEqual({
      status: 'recorded',
    });
    expect(await emitAck(b, 'receipt', { roomId, messageId, status: 'delivered' })).toEqual({
      status: 'unchanged',
    });
    expect(await emitAck(b, 'receipt', { roomId, messageId, status: 'read' })).toEqual({
      status: 'recorded',
    });
    expect(await emitAck(b, 'receipt', { roomId, messageId, status: 'delivered' })).toEqual({
      status: 'unchanged',
    });
    expect(await emitAck(b, 'receipt', { roomId, messageId, status: 'read' })).toEqual({
      status: 'unchanged',
    });
    await waitFor('two ticks shown', () => notices.length >= 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(notices.map((n) => [n.userId, n.status])).toEqual([
      [bob, 'delivered'],
      [bob, 'read'],
    ]);
  });

  it('serves history pages over HTTP and the socket, members only', async () => {
    const roomId = h.room([alice, bob]);
    const a = await h.connected(portA, alice);
    for (let i = 0; i < 25; i++)
      await emitAck(a, 'send', { roomId, clientMessageId: `h-${i}`, text: `h ${i}` });
    await h.waitStored(roomId, 25);
    const token = await h.token(bob);
    const response = await fetch(`http://127.0.0.1:${portB}/v1/rooms/${roomId}/messages?limit=10`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const page = (await response.json()) as {
      messages: { text: string; position: number }[];
      hasMore: boolean;
    };
    expect(response.status).toBe(200);
    expect(page.messages.map((m) => m.text)).toEqual(Array.from({ length: 10 }, (_, i) => `h ${15 + i}`));
    expect(page.hasMore).toBe(true);
    const older = await emitAck(a, 'history', { roomId, before: page.messages[0]!.position, limit: 100 });
    expect((older as { messages: { text: string }[] }).messages.map((m) => m.text)).toEqual(
      Array.from({ length: 15 }, (_, i) => `h ${i}`),
    );
    const refused = await fetch(`http://127.0.0.1:${portB}/v1/rooms/${roomId}/messages`, {
      headers: { authorization: `Bearer ${await h.token(mallory)}` },
    });
    expect(refused.status).toBe(403);
    const anonymous = await fetch(`http://127.0.0.1:${portB}/v1/rooms/${roomId}/messages`);
    expect(anonymous.status).toBe(401);
  });
});
