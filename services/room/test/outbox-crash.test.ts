import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@chat/runtime';
import { uniqueName, waitFor } from '@chat/testkit';
import type { RoomDoc } from '@chat/room-store';
import { createRoomService, type RoomService } from '../src/service.js';
import { startRoomProcess } from './support/child.js';
import { client } from './support/http.js';
import {
  createTopic,
  deleteTopic,
  dropDatabase,
  readTopic,
  recordCount,
  testConfig,
  testEnv,
  testMongoUrl,
  tokenFor,
} from './support/infra.js';

describe('a dispatcher killed with SIGKILL', () => {
  const mongoUrl = testMongoUrl();
  let topic: string;
  let writer: RoomService;
  let api: ReturnType<typeof client>;
  const owner = uniqueName('owner');

  beforeAll(async () => {
    topic = await createTopic();
    // Writes only: every event stays in the outbox until a dispatcher process publishes it.
    const config = testConfig(mongoUrl, topic, { DISPATCHER_ENABLED: 'false' });
    writer = await createRoomService({ config, logger: createLogger('room-test', 'warn') });
    api = client(writer.app, await tokenFor(config, owner));
  });

  afterAll(async () => {
    await writer?.stop();
    await dropDatabase(mongoUrl);
    await deleteTopic(topic);
  });

  /** A room with three events in its outbox: created, member added, renamed. */
  async function roomWithThreeEvents(): Promise<string> {
    const created = await api<{ room: { roomId: string } }>('POST', '/v1/rooms', {
      name: 'Ops',
      memberIds: [],
    });
    const { roomId } = created.body.room;
    expect((await api('POST', `/v1/rooms/${roomId}/members`, { userId: uniqueName('member') })).status).toBe(
      200,
    );
    expect((await api('PATCH', `/v1/rooms/${roomId}`, { name: 'Ops 2' })).status).toBe(200);
    return roomId;
  }

  const roomOf = (roomId: string) => writer.models.rooms.findById(roomId).lean<RoomDoc>();
  const allSent = async (roomId: string, count: number) => {
    const room = await roomOf(roomId);
    return (
      room?.outbox.filter((entry) => entry.status === 'sent').length === count && room.outboxDueAt === null
    );
  };

  it('between claiming and publishing: after a restart every event goes out exactly once, in order', async () => {
    const roomId = await roomWithThreeEvents();
    const written = (await roomOf(roomId))!.outbox.map((entry) => entry.eventId);
    expect(written).toHaveLength(3);

    const crashed = startRoomProcess(
      testEnv(mongoUrl, topic, { CRASH_AT: 'dispatcher.afterClaim', DISPATCHER_ID: 'replica-crashing' }),
    );
    expect((await crashed.exited).signal).toBe('SIGKILL');
    const claimed = (await roomOf(roomId))!;
    expect(claimed.leaseOwner).toBe('replica-crashing');
    expect(claimed.outbox.map((entry) => entry.status)).toEqual(['pending', 'pending', 'pending']);
    expect(await recordCount(topic)).toBe(0);

    const restarted = startRoomProcess(testEnv(mongoUrl, topic, { DISPATCHER_ID: 'replica-restarted' }));
    try {
      await waitFor('the three events marked sent', () => allSent(roomId, 3), { timeoutMs: 30_000 });
      expect((await api('PATCH', `/v1/rooms/${roomId}`, { name: 'Ops 3' })).status).toBe(200);
      await waitFor('the fourth event marked sent', () => allSent(roomId, 4), { timeoutMs: 30_000 });
      const all = (await roomOf(roomId))!.outbox.map((entry) => entry.eventId);

      const records = await readTopic(topic, 4);
      expect(records.map((record) => record.event.eventId)).toEqual(all);
      expect(records.map((record) => record.event.type)).toEqual([
        'room.created',
        'room.member.added',
        'room.renamed',
        'room.renamed',
      ]);
      expect(new Set(records.map((record) => record.partition)).size).toBe(1);
      expect(records.every((record) => record.key === roomId)).toBe(true);
      expect(await recordCount(topic)).toBe(4);
    } finally {
      await restarted.stop();
    }
  });

  it('between publishing and marking sent: the repeat carries the same event ids, so each is applied once, in order', async () => {
    const before = await recordCount(topic);
    const roomId = await roomWithThreeEvents();
    const written = (await roomOf(roomId))!.outbox.map((entry) => entry.eventId);

    const crashed = startRoomProcess(
      testEnv(mongoUrl, topic, { CRASH_AT: 'dispatcher.afterPublish', DISPATCHER_ID: 'replica-crashing-2' }),
    );
    expect((await crashed.exited).signal).toBe('SIGKILL');
    expect((await roomOf(roomId))!.outbox.every((entry) => entry.status === 'pending')).toBe(true);

    const restarted = startRoomProcess(testEnv(mongoUrl, topic, { DISPATCHER_ID: 'replica-restarted-2' }));
    try {
      await waitFor('the three events marked sent', () => allSent(roomId, 3), { timeoutMs: 30_000 });
      expect((await api('PATCH', `/v1/rooms/${roomId}`, { name: 'Ops 4' })).status).toBe(200);
      await waitFor('the fourth event marked sent', () => allSent(roomId, 4), { timeoutMs: 30_000 });
      const fourth = (await roomOf(roomId))!.outbox[3]!.eventId;

      const records = (await readTopic(topic, before + 7)).filter((record) => record.key === roomId);
      // At-least-once: the first publish and its repeat; the event marked sent is never published again.
      expect(records.map((record) => record.event.eventId)).toEqual([...written, ...written, fourth]);
      const applied: string[] = [];
      for (const record of records) {
        if (!applied.includes(record.event.eventId)) applied.push(record.event.eventId);
      }
      expect(applied).toEqual([...written, fourth]);
      expect(await recordCount(topic)).toBe(before + 7);
    } finally {
      await restarted.stop();
    }
  });
});
