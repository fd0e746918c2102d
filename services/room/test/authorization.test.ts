import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenService } from '@chat/auth';
import { createLogger } from '@chat/runtime';
import { uniqueName } from '@chat/testkit';
import type { RoomDoc } from '@chat/room-store';
import { createRoomService, type RoomService } from '../src/service.js';
import { client, type ErrorReply } from './support/http.js';
import {
  createTopic,
  deleteTopic,
  dropDatabase,
  testConfig,
  testMongoUrl,
  tokenFor,
} from './support/infra.js';

describe('who may do what', () => {
  const mongoUrl = testMongoUrl();
  let topic: string;
  let service: RoomService;
  let config: ReturnType<typeof testConfig>;
  let roomId: string;
  const [owner, admin, bob, carol, stranger] = ['owner', 'admin', 'bob', 'carol', 'stranger'].map((name) =>
    uniqueName(name),
  ) as [string, string, string, string, string];
  const as = async (userId: string) => client(service.app, await tokenFor(config, userId));
  const code = (reply: { body: unknown }) => (reply.body as ErrorReply).error?.code;

  beforeAll(async () => {
    topic = await createTopic();
    config = testConfig(mongoUrl, topic);
    service = await createRoomService({ config, logger: createLogger('room-test', 'error') });
    await service.start();
    const api = await as(owner);
    const created = await api<{ room: { roomId: string } }>('POST', '/v1/rooms', {
      name: 'Guarded',
      memberIds: [bob, carol],
    });
    roomId = created.body.room.roomId;
    expect((await api('POST', `/v1/rooms/${roomId}/members`, { userId: admin, role: 'admin' })).status).toBe(
      200,
    );
  });

  afterAll(async () => {
    await service?.stop();
    await dropDatabase(mongoUrl);
    await deleteTopic(topic);
  });

  const eventSeq = async () => (await service.models.rooms.findById(roomId).lean<RoomDoc>())!.eventSeq;

  it('refuses a plain member removing, adding, renaming or archiving, and writes no event', async () => {
    const before = await eventSeq();
    const api = await as(bob);
    const removal = await api<ErrorReply>('DELETE', `/v1/rooms/${roomId}/members/${carol}`);
    expect(removal.status).toBe(403);
    expect(removal.body.error).toEqual({
      code: 'FORBIDDEN',
      message: 'only owners or admins may remove members',
      retryable: false,
    });
    expect(code(await api('POST', `/v1/rooms/${roomId}/members`, { userId: uniqueName('x') }))).toBe(
      'FORBIDDEN',
    );
    expect(code(await api('PATCH', `/v1/rooms/${roomId}`, { name: 'Mine now' }))).toBe('FORBIDDEN');
    expect(code(await api('POST', `/v1/rooms/${roomId}/archive`))).toBe('FORBIDDEN');
    expect(await eventSeq()).toBe(before);
  });

  it('lets an admin remove plain members but not the owner, and not make admins', async () => {
    const api = await as(admin);
    expect(code(await api('DELETE', `/v1/rooms/${roomId}/members/${owner}`))).toBe('FORBIDDEN');
    expect(
      code(await api('POST', `/v1/rooms/${roomId}/members`, { userId: uniqueName('x'), role: 'admin' })),
    ).toBe('FORBIDDEN');
    const removed = await api<{ room: { members: { userId: string }[] } }>(
      'DELETE',
      `/v1/rooms/${roomId}/members/${carol}`,
    );
    expect(removed.status).toBe(200);
    expect(removed.body.room.members.map((member) => member.userId)).not.toContain(carol);
    expect(code(await (await as(carol))('GET', `/v1/rooms/${roomId}`))).toBe('NOT_A_MEMBER');
  });

  it('refuses strangers reading or changing a room, with NOT_A_MEMBER', async () => {
    const api = await as(stranger);
    const read = await api<ErrorReply>('GET', `/v1/rooms/${roomId}`);
    expect(read.status).toBe(403);
    expect(read.body.error).toEqual({
      code: 'NOT_A_MEMBER',
      message: 'you are not a member of this room',
      retryable: false,
    });
    expect(code(await api('DELETE', `/v1/rooms/${roomId}/members/${bob}`))).toBe('NOT_A_MEMBER');
    expect(code(await api('POST', `/v1/rooms/${roomId}/members`, { userId: stranger }))).toBe('NOT_A_MEMBER');
    expect(code(await api('POST', `/v1/rooms/${roomId}/leave`))).toBe('NOT_A_MEMBER');
    expect((await api<{ rooms: unknown[] }>('GET', '/v1/rooms')).body.rooms).toEqual([]);
    expect(code(await api('GET', `/v1/rooms/${'f'.repeat(24)}`))).toBe('ROOM_NOT_FOUND');
  });

  it('refuses requests without a valid token', async () => {
    const anonymous = client(service.app);
    const missing = await anonymous<ErrorReply>('GET', `/v1/rooms/${roomId}`);
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('AUTH_MISSING');
    expect(code(await client(service.app, 'not.a.token')('GET', '/v1/rooms'))).toBe('AUTH_INVALID');
    // The owner's id, signed with a key that is not the platform's.
    const forged = await createTokenService({ ...config.auth, secret: 'f'.repeat(48) }).mintDevToken({
      userId: owner,
      name: 'Mallory',
    });
    expect(code(await client(service.app, forged)('DELETE', `/v1/rooms/${roomId}/members/${bob}`))).toBe(
      'AUTH_INVALID',
    );
  });

  it('validates every input and never lets an operator reach a query', async () => {
    const api = await as(owner);
    const injected = await api<ErrorReply>('POST', `/v1/rooms/${roomId}/members`, { userId: { $ne: null } });
    expect(injected.status).toBe(400);
    expect(injected.body.error.code).toBe('VALIDATION_FAILED');
    expect(injected.body.error.details?.join()).toContain('userId');
    expect(code(await api('GET', '/v1/rooms/%24where'))).toBe('VALIDATION_FAILED');
    expect(code(await api('POST', '/v1/rooms', { name: 'x', memberIds: [], owner: stranger }))).toBe(
      'VALIDATION_FAILED',
    );
    expect(code(await api('POST', '/v1/rooms', { name: 'x' }, { 'idempotency-key': 'has spaces' }))).toBe(
      'VALIDATION_FAILED',
    );
    const huge = await api<ErrorReply>('POST', '/v1/rooms', {
      name: 'x',
      memberIds: Array.from({ length: 999 }, (_, i) => `user-${i}-${'p'.repeat(20)}`),
    });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(code(await api('GET', '/v1/nowhere'))).toBe('NOT_FOUND');
  });

  it('keeps the owner in the room and the archived room read-only', async () => {
    const api = await as(owner);
    expect(code(await api('POST', `/v1/rooms/${roomId}/leave`))).toBe('OWNER_CANNOT_LEAVE');
    expect((await (await as(bob))('POST', `/v1/rooms/${roomId}/leave`)).status).toBe(204);
    expect(code(await (await as(bob))('GET', `/v1/rooms/${roomId}`))).toBe('NOT_A_MEMBER');

    const archived = await api<{ room: { status: string } }>('POST', `/v1/rooms/${roomId}/archive`);
    expect(archived.body.room.status).toBe('archived');
    expect(code(await api('PATCH', `/v1/rooms/${roomId}`, { name: 'Renamed' }))).toBe('ROOM_ARCHIVED');
    expect(code(await api('POST', `/v1/rooms/${roomId}/members`, { userId: stranger }))).toBe(
      'ROOM_ARCHIVED',
    );
    expect((await (await as(admin))('GET', `/v1/rooms/${roomId}`)).status).toBe(200);
  });

  it('serves health and metrics', async () => {
    expect((await service.app.inject({ method: 'GET', url: '/livez' })).statusCode).toBe(200);
    const ready = await service.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ checks: { mongo: { ok: true } } });
    const metrics = (await service.app.inject({ method: 'GET', url: '/metrics' })).body;
    for (const name of [
      'room_outbox_pending',
      'room_outbox_published_total',
      'room_outbox_dead_total',
      'room_outbox_dispatch_latency_seconds',
      'room_saga_outcomes_total',
    ]) {
      expect(metrics).toContain(name);
    }
  });
});
