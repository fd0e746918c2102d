import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@chat/runtime';
import { uniqueName, waitFor } from '@chat/testkit';
import { createRoomService, type RoomService } from '../src/service.js';
import { client } from './support/http.js';
import {
  createTopic,
  deleteTopic,
  dropDatabase,
  readTopic,
  recordCount,
  testConfig,
  testMongoUrl,
  tokenFor,
} from './support/infra.js';

const logger = createLogger('room-test', 'warn');

describe('direct rooms, one per pair', () => {
  const mongoUrl = testMongoUrl();
  let topic: string;
  let replicas: RoomService[];
  let config: ReturnType<typeof testConfig>;

  beforeAll(async () => {
    topic = await createTopic();
    config = testConfig(mongoUrl, topic);
    // Two replicas on one database: the creates race across processes' worth of state, not one saga object.
    replicas = await Promise.all(
      ['a', 'b'].map((replica) =>
        createRoomService({
          config: testConfig(mongoUrl, topic, { DISPATCHER_ID: uniqueName(replica) }),
          logger,
        }),
      ),
    );
    await Promise.all(replicas.map((replica) => replica.start()));
  });

  afterAll(async () => {
    await Promise.all((replicas ?? []).map((replica) => replica.stop()));
    await dropDatabase(mongoUrl);
    await deleteTopic(topic);
  });

  it('concurrent first creates from both sides, on two replicas, make one room and one created event', async () => {
    const [alice, bob] = [uniqueName('alice'), uniqueName('bob')] as [string, string];
    const apis = {
      [alice]: await tokenFor(config, alice),
      [bob]: await tokenFor(config, bob),
    };
    const attempts = Array.from({ length: 8 }, (_, index) => {
      const [me, other] = index % 2 === 0 ? [alice, bob] : [bob, alice];
      const api = client(replicas[index % replicas.length]!.app, apis[me]!);
      return api<{ room: { roomId: string; kind: string; members: { userId: string }[] } }>(
        'POST',
        '/v1/rooms',
        { kind: 'direct', memberIds: [other] },
        { 'idempotency-key': uniqueName('key') },
      );
    });
    const replies = await Promise.all(attempts);
    expect(replies.map((reply) => reply.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    const roomIds = new Set(replies.map((reply) => reply.body.room.roomId));
    expect(roomIds.size).toBe(1);
    expect(replies[0]!.body.room.members.map((member) => member.userId).sort()).toEqual([alice, bob].sort());
    expect(await replicas[0]!.models.rooms.countDocuments({ kind: 'direct', 'members.userId': alice })).toBe(
      1,
    );

    // Found again later, from either side, whatever key or name the request carries.
    const later = await client(replicas[1]!.app, apis[bob]!)<{ room: { roomId: string } }>(
      'POST',
      '/v1/rooms',
      {
        kind: 'direct',
        name: 'Another name',
        memberIds: [alice],
      },
    );
    expect(later.status).toBe(200);
    expect(later.body.room.roomId).toBe([...roomIds][0]);

    await waitFor('the created event published', async () => (await recordCount(topic)) >= 1);
    const created = (await readTopic(topic, 1)).filter(
      (record) => record.event.type === 'room.created' && record.key === [...roomIds][0],
    );
    expect(created).toHaveLength(1);
  });
});
