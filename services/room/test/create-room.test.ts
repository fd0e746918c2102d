import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createLogger } from '@chat/runtime';
import { uniqueName, waitFor } from '@chat/testkit';
import type { RoomDoc } from '@chat/room-store';
import { createMembershipView, mongoMembershipSource } from '@chat/membership';
import { createRoomService, type RoomService } from '../src/service.js';
import { client, type ErrorReply } from './support/http.js';
import {
  createTopic,
  deleteTopic,
  dropDatabase,
  endpoints,
  readTopic,
  recordCount,
  testConfig,
  testMongoUrl,
  tokenFor,
} from './support/infra.js';

const logger = createLogger('room-test', 'warn');

describe('creating a room', () => {
  const mongoUrl = testMongoUrl();
  let topic: string;
  let service: RoomService;
  let redis: Redis;
  let config: ReturnType<typeof testConfig>;
  const [alice, bob, carol, dave] = ['alice', 'bob', 'carol', 'dave'].map((name) => uniqueName(name));

  beforeAll(async () => {
    topic = await createTopic();
    config = testConfig(mongoUrl, topic);
    service = await createRoomService({ config, logger });
    await service.start();
    redis = new Redis(endpoints.redisUrl);
  });

  afterAll(async () => {
    await service?.stop();
    redis?.disconnect();
    await dropDatabase(mongoUrl);
    await deleteTopic(topic);
  });

  it('with three members makes the room, their memberships and one created event, and admits exactly them', async () => {
    const api = client(service.app, await tokenFor(config, alice!));
    const created = await api<{ room: { roomId: string; members: { userId: string; role: string }[] } }>(
      'POST',
      '/v1/rooms',
      { name: 'Team', memberIds: [bob, carol] },
      { 'idempotency-key': uniqueName('key') },
    );
    expect(created.status).toBe(201);
    const { roomId, members } = created.body.room;
    expect(members.map((member) => [member.userId, member.role])).toEqual([
      [alice, 'owner'],
      [bob, 'member'],
      [carol, 'member'],
    ]);

    const room = await service.models.rooms.findById(roomId).lean<RoomDoc>();
    expect(room).toMatchObject({ status: 'active', kind: 'group', name: 'Team', eventSeq: 1 });
    const memberships = await service.models.memberships.find({ roomId }).lean();
    expect(memberships.map((entry) => [entry.userId, entry.status]).sort()).toEqual(
      [alice, bob, carol].map((userId) => [userId, 'active']).sort(),
    );

    const records = await readTopic(topic, 1);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      key: roomId,
      event: {
        type: 'room.created',
        eventId: room!.outbox[0]!.eventId,
        payload: { roomId, name: 'Team', createdBy: alice },
      },
    });
    expect(records[0]!.event.payload.memberIds).toEqual([alice, bob, carol]);
    await waitFor('the event marked sent', async () => {
      const after = await service.models.rooms.findById(roomId).lean<RoomDoc>();
      return after?.outbox[0]?.status === 'sent' && after.outboxDueAt === null;
    });

    const view = createMembershipView({ redis, source: mongoMembershipSource(service.connection), logger });
    for (const member of [alice, bob, carol]) expect(await view.isMember(roomId, member!)).toBe(true);
    expect(await view.isMember(roomId, dave!)).toBe(false);
    expect(await view.sendAccess(roomId, bob!)).toBe('allowed');
    expect(await view.roomsOf(carol!)).toEqual([roomId]);
  });

  it('is idempotent: the same key gives the same room and no second event; another body with it is refused', async () => {
    const api = client(service.app, await tokenFor(config, bob!));
    const key = uniqueName('key');
    const body = { name: 'Pair', memberIds: [carol] };
    const first = await api<{ room: { roomId: string } }>('POST', '/v1/rooms', body, {
      'idempotency-key': key,
    });
    const again = await api<{ room: { roomId: string } }>('POST', '/v1/rooms', body, {
      'idempotency-key': key,
    });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.room.roomId).toBe(first.body.room.roomId);

    const reused = await api<ErrorReply>(
      'POST',
      '/v1/rooms',
      { name: 'Other', memberIds: [carol] },
      { 'idempotency-key': key },
    );
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');

    expect(await service.models.rooms.countDocuments({ createdBy: bob })).toBe(1);
    await readTopic(topic, 2);
    expect(await recordCount(topic)).toBe(2);
  });

  it('lists my rooms and makes direct rooms between exactly two people', async () => {
    const api = client(service.app, await tokenFor(config, carol!));
    const direct = await api<{ room: { roomId: string; kind: string; members: { role: string }[] } }>(
      'POST',
      '/v1/rooms',
      { kind: 'direct', memberIds: [dave] },
    );
    expect(direct.status).toBe(201);
    expect(direct.body.room.kind).toBe('direct');
    expect(direct.body.room.members.map((member) => member.role)).toEqual(['owner', 'owner']);

    const tooMany = await api<ErrorReply>('POST', '/v1/rooms', { kind: 'direct', memberIds: [dave, alice] });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.code).toBe('VALIDATION_FAILED');

    const listed = await api<{ rooms: { roomId: string; role: string }[] }>('GET', '/v1/rooms');
    expect(listed.status).toBe(200);
    expect(listed.body.rooms).toHaveLength(3);
    const paged = await api<{ rooms: unknown[]; next?: string }>('GET', '/v1/rooms?limit=2');
    expect(paged.body.rooms).toHaveLength(2);
    const rest = await api<{ rooms: unknown[] }>('GET', `/v1/rooms?limit=2&after=${paged.body.next}`);
    expect(rest.body.rooms).toHaveLength(1);
  });
});
