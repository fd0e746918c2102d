import { endpointsFromEnv } from '@chat/runtime';
import { uniqueName } from '@chat/testkit';
import { roomEvent } from '@chat/testkit/events';
import { testMongoUrl } from '@chat/testkit/mongo';
import { type Db, MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxEntry, RoomOutbox } from '../src/outbox/rooms.js';
import { chatctl, chatctlJson } from './support/cli.js';

const mongoUrl = testMongoUrl(endpointsFromEnv().mongoUrl, 'chatctl');
const client = new MongoClient(mongoUrl);
let db: Db;

beforeAll(async () => {
  await client.connect();
  db = client.db();
});
afterAll(async () => {
  await db.dropDatabase();
  await client.close();
});

const at = new Date('2026-01-01T00:00:00Z');

function entry(seq: number, status: OutboxEntry['status'], extra: Partial<OutboxEntry> = {}): OutboxEntry {
  const event = roomEvent(
    'room.member.added',
    { roomId: 'r', userId: 'u', addedBy: 'o' },
    { occurredAt: at },
  );
  return {
    eventId: `${status}-${seq}-${uniqueName('e')}`,
    seq,
    type: 'room.member.added',
    event,
    status,
    attempts: status === 'dead' ? 10 : 0,
    nextAttemptAt: at,
    createdAt: at,
    ...extra,
  };
}

/** A room document as the room service writes it, reduced to the fields its outbox uses. */
async function room(outbox: OutboxEntry[], outboxDueAt: Date | null): Promise<string> {
  const roomId = uniqueName('room');
  await db.collection<RoomOutbox>('rooms').insertOne({ _id: roomId, version: 3, outbox, outboxDueAt });
  return roomId;
}

const url = () => ['--mongo-url', mongoUrl];

describe('chatctl outbox', () => {
  it('lists pending and dead events, and requeues dead ones under the room lock so the dispatcher publishes them', async () => {
    const dead = entry(2, 'dead', { lastError: 'broker unreachable' });
    const pending = entry(3, 'pending');
    const busy = await room([entry(1, 'sent'), dead, pending], at);
    const otherDead = entry(1, 'dead', { type: 'room.renamed' });
    const other = await room([otherDead], null);

    const pendingRows = await chatctlJson<{ roomId: string; eventId: string }[]>(
      'outbox',
      'pending',
      ...url(),
    );
    expect(pendingRows.map((row) => [row.roomId, row.eventId])).toEqual([[busy, pending.eventId]]);
    const deadTable = await chatctl('outbox', 'dead', ...url());
    expect(deadTable.stdout).toContain('broker unreachable');
    expect(deadTable.stdout).toContain('2 dead event(s) in 2 room(s)');

    const dryRun = await chatctlJson<{ requeued: { eventId: string }[] }>(
      'outbox',
      'replay',
      '--room',
      busy,
      '--dry-run',
      ...url(),
    );
    expect(dryRun.requeued.map((row) => row.eventId)).toEqual([dead.eventId]);
    expect((await db.collection<RoomOutbox>('rooms').findOne({ _id: busy }))?.version).toBe(3);

    const replayed = await chatctl('outbox', 'replay', '--room', busy, ...url());
    expect(replayed).toMatchObject({ code: 0, stdout: expect.stringContaining('requeued 1 dead event(s)') });
    const after = await db.collection<RoomOutbox>('rooms').findOne({ _id: busy });
    expect(after?.version).toBe(4);
    expect(after?.outboxDueAt).toEqual(at);
    expect(after?.outbox.map((item) => [item.seq, item.status, item.attempts])).toEqual([
      [1, 'sent', 0],
      [2, 'pending', 0],
      [3, 'pending', 0],
    ]);
    expect(await db.collection('locks').countDocuments({})).toBe(0);

    await chatctl('outbox', 'replay', '--type', 'room.renamed', ...url());
    const revived = await db.collection<RoomOutbox>('rooms').findOne({ _id: other });
    expect(revived?.outbox[0]?.status).toBe('pending');
    expect(revived?.outboxDueAt).toBeInstanceOf(Date);
    expect(await chatctlJson('outbox', 'dead', ...url())).toEqual([]);
  });

  it('waits for a room held by the dispatcher and gives up with exit code 5 when it stays locked', async () => {
    const roomId = await room([entry(1, 'dead')], null);
    await db.collection('locks').insertOne({
      _id: `room:${roomId}` as never,
      token: 'dispatcher',
      expiresAt: new Date(Date.now() + 60_000),
    });
    const result = await chatctl('outbox', 'replay', '--room', roomId, ...url());
    expect(result).toMatchObject({ code: 5, stderr: expect.stringContaining('stayed locked') });
    expect((await db.collection<RoomOutbox>('rooms').findOne({ _id: roomId }))?.outbox[0]?.status).toBe(
      'dead',
    );
  });
});
