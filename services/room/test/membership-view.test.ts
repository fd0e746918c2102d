import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mongoose from 'mongoose';
import { Redis } from 'ioredis';
import { createLogger } from '@chat/runtime';
import { uniqueName, waitFor } from '@chat/testkit';
import { createRoomService, type RoomService } from '../src/service.js';
import {
  MembershipViewListener,
  createMembershipView,
  mongoMembershipSource,
  viewKeys,
  type MembershipView,
  type RoomChangeNotice,
} from '@chat/membership';
import { client } from './support/http.js';
import {
  createTopic,
  deleteTopic,
  dropDatabase,
  endpoints,
  testConfig,
  testMongoUrl,
  tokenFor,
} from './support/infra.js';

const logger = createLogger('room-test', 'error');

/** What one chat gateway instance runs: its own connections, view and consumer group. */
interface GatewayInstance {
  view: MembershipView;
  notices: RoomChangeNotice[];
  listener: MembershipViewListener;
  groupId: string;
  close(): Promise<void>;
}

describe('the membership view', () => {
  const mongoUrl = testMongoUrl();
  let topic: string;
  let service: RoomService;
  let config: ReturnType<typeof testConfig>;
  const gateways: GatewayInstance[] = [];
  const [alice, bob, carol] = ['alice', 'bob', 'carol'].map((name) => uniqueName(name)) as [
    string,
    string,
    string,
  ];

  async function startGateway(name: string): Promise<GatewayInstance> {
    const redis = new Redis(endpoints.redisUrl);
    const connection = await mongoose.createConnection(mongoUrl).asPromise();
    const view = createMembershipView({ redis, source: mongoMembershipSource(connection), logger });
    const notices: RoomChangeNotice[] = [];
    view.onChange((notice) => {
      notices.push(notice);
    });
    const groupId = uniqueName(`gateway-${name}`);
    // A fresh topic: reading it from the start misses nothing and replays nothing foreign.
    const listener = new MembershipViewListener(view, { groupId, topic, fromBeginning: true, logger });
    await listener.start();
    return {
      view,
      notices,
      listener,
      groupId,
      close: async () => {
        await listener.stop();
        await connection.close();
        redis.disconnect();
      },
    };
  }

  beforeAll(async () => {
    topic = await createTopic();
    config = testConfig(mongoUrl, topic);
    service = await createRoomService({ config, logger });
    await service.start();
    gateways.push(...(await Promise.all([startGateway('a'), startGateway('b')])));
  });

  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.close()));
    await service?.stop();
    await dropDatabase(mongoUrl);
    for (const gateway of gateways) await deleteTopic(`${gateway.groupId}.dlq`);
    await deleteTopic(topic);
  });

  it('stops a removed member reading and sending within a second, on every gateway instance', async () => {
    const api = client(service.app, await tokenFor(config, alice));
    const created = await api<{ room: { roomId: string } }>('POST', '/v1/rooms', {
      name: 'Live',
      memberIds: [bob, carol],
    });
    const { roomId } = created.body.room;
    for (const gateway of gateways) {
      await waitFor('the created event at every instance', () =>
        gateway.notices.some((notice) => notice.roomId === roomId && notice.event.type === 'room.created'),
      );
      expect(await gateway.view.sendAccess(roomId, bob)).toBe('allowed');
    }

    const removedAt = Date.now();
    expect((await api('DELETE', `/v1/rooms/${roomId}/members/${bob}`)).status).toBe(200);
    const elapsed = await Promise.all(
      gateways.map(async (gateway) => {
        const notice = await waitFor(
          'the removal at this instance',
          () =>
            gateway.notices.find(
              (seen) => seen.roomId === roomId && seen.event.type === 'room.member.removed',
            ),
          { timeoutMs: 5_000, intervalMs: 10 },
        );
        expect(notice.removedUserIds).toEqual([bob]);
        expect(await gateway.view.isMember(roomId, bob)).toBe(false);
        expect(await gateway.view.sendAccess(roomId, bob)).toBe('not-member');
        return Date.now() - removedAt;
      }),
    );
    expect(Math.max(...elapsed)).toBeLessThan(1_000);
    for (const gateway of gateways) {
      expect(await gateway.view.isMember(roomId, carol)).toBe(true);
      expect(await gateway.view.roomsOf(bob)).toEqual([]);
    }
  });

  it('knows the owners and admins of a room, who may delete any message, also over a view cached before roles were kept', async () => {
    const api = client(service.app, await tokenFor(config, alice));
    const created = await api<{ room: { roomId: string } }>('POST', '/v1/rooms', {
      name: 'Roles',
      memberIds: [bob],
    });
    const { roomId } = created.body.room;
    expect((await api('POST', `/v1/rooms/${roomId}/members`, { userId: carol, role: 'admin' })).status).toBe(
      200,
    );
    for (const gateway of gateways) {
      await waitFor('the admin added at every instance', () =>
        gateway.notices.some(
          (notice) => notice.roomId === roomId && notice.event.type === 'room.member.added',
        ),
      );
      expect(await gateway.view.mayModerate(roomId, alice)).toBe(true);
      expect(await gateway.view.mayModerate(roomId, carol)).toBe(true);
      expect(await gateway.view.mayModerate(roomId, bob)).toBe(false);
    }
    const redis = new Redis(endpoints.redisUrl);
    await redis.hdel(viewKeys.roomState(roomId), 'roles');
    await redis.del(viewKeys.roomModerators(roomId));
    redis.disconnect();
    expect(await gateways[0]!.view.mayModerate(roomId, carol)).toBe(true);
    expect(await gateways[1]!.view.mayModerate(roomId, bob)).toBe(false);
  });

  it('blocks a member from sending on every gateway instance, keeps their reading, and unblocks', async () => {
    const api = client(service.app, await tokenFor(config, alice));
    const created = await api<{ room: { roomId: string } }>('POST', '/v1/rooms', {
      name: 'Moderated',
      memberIds: [bob, carol],
    });
    const { roomId } = created.body.room;
    const seen = (gateway: GatewayInstance, type: string) =>
      gateway.notices.filter((notice) => notice.roomId === roomId && notice.event.type === type).length;
    for (const gateway of gateways) {
      await waitFor('the created event at every instance', () => seen(gateway, 'room.created') > 0);
      expect(await gateway.view.sendAccess(roomId, bob)).toBe('allowed');
    }

    const asCarol = client(service.app, await tokenFor(config, carol));
    const refused = await asCarol<{ error: { code: string } }>(
      'PUT',
      `/v1/rooms/${roomId}/blocked-senders/${bob}`,
    );
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
    const stranger = await api<{ error: { code: string } }>(
      'PUT',
      `/v1/rooms/${roomId}/blocked-senders/${uniqueName('nobody')}`,
    );
    expect(stranger.body.error.code).toBe('MEMBER_NOT_FOUND');

    const blocked = await api<{ room: { members: { userId: string; sendBlocked: boolean }[] } }>(
      'PUT',
      `/v1/rooms/${roomId}/blocked-senders/${bob}`,
    );
    expect(blocked.status).toBe(200);
    expect(blocked.body.room.members.find((member) => member.userId === bob)?.sendBlocked).toBe(true);
    // A repeat is harmless and announces nothing new.
    expect((await api('PUT', `/v1/rooms/${roomId}/blocked-senders/${bob}`)).status).toBe(200);
    for (const gateway of gateways) {
      await waitFor('the block at this instance', () => seen(gateway, 'room.sender.blocked') > 0);
      expect(await gateway.view.sendAccess(roomId, bob)).toBe('blocked');
      expect(await gateway.view.isMember(roomId, bob)).toBe(true);
      expect(await gateway.view.sendAccess(roomId, carol)).toBe('allowed');
    }

    expect((await api('DELETE', `/v1/rooms/${roomId}/blocked-senders/${bob}`)).status).toBe(200);
    for (const gateway of gateways) {
      await waitFor('the unblock at this instance', () => seen(gateway, 'room.sender.unblocked') > 0);
      expect(await gateway.view.sendAccess(roomId, bob)).toBe('allowed');
      expect(seen(gateway, 'room.sender.blocked')).toBe(1);
    }
  });

  it('rebuilds from MongoDB on a cache miss, and answers from MongoDB while Redis is down', async () => {
    const api = client(service.app, await tokenFor(config, carol));
    const created = await api<{ room: { roomId: string } }>('POST', '/v1/rooms', {
      name: 'Cold',
      memberIds: [alice],
    });
    const { roomId } = created.body.room;
    const redis = new Redis(endpoints.redisUrl);
    const connection = await mongoose.createConnection(mongoUrl).asPromise();
    try {
      const view = createMembershipView({ redis, source: mongoMembershipSource(connection), logger });
      await redis.del(viewKeys.roomMembers(roomId), viewKeys.roomState(roomId), viewKeys.userRooms(alice));
      expect(await view.isMember(roomId, alice)).toBe(true);
      expect(await redis.sismember(viewKeys.roomMembers(roomId), alice)).toBe(1);
      expect(await view.membersOf(roomId)).toEqual(expect.arrayContaining([alice, carol]));
      await waitFor('the membership index', async () => (await view.roomsOf(alice)).includes(roomId));

      const unreachable = new Redis({
        port: 1,
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
      });
      unreachable.on('error', () => undefined);
      const degraded = createMembershipView({
        redis: unreachable,
        source: mongoMembershipSource(connection),
        logger,
      });
      expect(await degraded.isMember(roomId, alice)).toBe(true);
      expect(await degraded.isMember(roomId, bob)).toBe(false);
      expect(await degraded.isMember(uniqueName('no-such-room'), alice)).toBe(false);
      unreachable.disconnect();
    } finally {
      redis.disconnect();
      await connection.close();
    }
  });
});
