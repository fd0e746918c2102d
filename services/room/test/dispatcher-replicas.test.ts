import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@chat/runtime';
import { uniqueName, waitFor } from '@chat/testkit';
import type { RoomDoc } from '@chat/room-store';
import { createRoomService, type RoomService } from '../src/service.js';
import { startRoomProcess, type RoomProcess } from './support/child.js';
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

const ROOMS = 4;
const RENAMES = 15;

describe('two dispatcher replicas', () => {
  const mongoUrl = testMongoUrl();
  let topic: string;
  let writer: RoomService;
  const replicas: RoomProcess[] = [];

  beforeAll(async () => {
    topic = await createTopic(3);
    const config = testConfig(mongoUrl, topic, { DISPATCHER_ENABLED: 'false' });
    writer = await createRoomService({ config, logger: createLogger('room-test', 'warn') });
  });

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()));
    await writer?.stop();
    await dropDatabase(mongoUrl);
    await deleteTopic(topic);
  });

  it('publish every event once, in order per room, while rooms keep changing', async () => {
    // Small batches make the replicas take turns on the same rooms.
    for (const name of ['replica-1', 'replica-2']) {
      replicas.push(
        startRoomProcess(testEnv(mongoUrl, topic, { DISPATCHER_ID: name, DISPATCH_BATCH_SIZE: '3' })),
      );
    }
    await Promise.all(replicas.map((replica) => replica.ready()));

    const config = testConfig(mongoUrl, topic);
    const roomIds = await Promise.all(
      Array.from({ length: ROOMS }, async (_, index) => {
        const api = client(writer.app, await tokenFor(config, uniqueName(`owner${index}`)));
        const created = await api<{ room: { roomId: string } }>('POST', '/v1/rooms', {
          name: 'r0',
          memberIds: [],
        });
        const { roomId } = created.body.room;
        for (let rename = 1; rename <= RENAMES; rename++) {
          expect((await api('PATCH', `/v1/rooms/${roomId}`, { name: `r${rename}` })).status).toBe(200);
        }
        return roomId;
      }),
    );
    const total = ROOMS * (RENAMES + 1);

    await waitFor(
      'every event marked sent',
      async () => {
        const rooms = await writer.models.rooms.find({ _id: { $in: roomIds } }).lean<RoomDoc[]>();
        return rooms.every((room) => room.outboxDueAt === null && room.eventSeq === RENAMES + 1);
      },
      { timeoutMs: 60_000 },
    );
    const records = await readTopic(topic, total);
    expect(records).toHaveLength(total);
    expect(new Set(records.map((record) => record.event.eventId)).size).toBe(total);
    for (const roomId of roomIds) {
      const names = records
        .filter((record) => record.key === roomId)
        .map((record) => (record.event.type === 'room.created' ? 'r0' : record.event.payload.name));
      expect(names).toEqual(Array.from({ length: RENAMES + 1 }, (_, index) => `r${index}`));
    }

    const published = await Promise.all(
      replicas.splice(0).map(async (replica) => {
        await replica.stop();
        return replica.lines.find((line) => typeof line.published === 'number')?.published as number;
      }),
    );
    expect(published.reduce((sum, count) => sum + count, 0)).toBe(total);
    expect(published.every((count) => count > 0)).toBe(true);
    expect(await recordCount(topic)).toBe(total);
  });
});
