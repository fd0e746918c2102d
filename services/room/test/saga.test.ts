import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlatformError } from '@chat/contracts';
import { createLogger } from '@chat/runtime';
import { uniqueName, waitFor } from '@chat/testkit';
import type { RoomDoc } from '@chat/room-store';
import { createRoomService, type RoomService } from '../src/service.js';
import { creationSagaId } from '../src/saga/room-creation-saga.js';
import type { CreationStep, SagaDoc } from '../src/saga/saga-model.js';
import { startRoomProcess } from './support/child.js';
import { client, type ErrorReply } from './support/http.js';
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

describe('the room-creation saga', () => {
  const mongoUrl = testMongoUrl();
  let topic: string;
  let service: RoomService;
  let config: ReturnType<typeof testConfig>;
  /** The step the next run fails at, and whether that failure is worth retrying. */
  let failure: { step: CreationStep; retryable: boolean } | undefined;

  beforeAll(async () => {
    topic = await createTopic();
    config = testConfig(mongoUrl, topic);
    service = await createRoomService({
      config,
      logger: createLogger('room-test', 'error'),
      sagaHooks: {
        beforeStep: (step) => {
          if (step !== failure?.step) return;
          if (failure.retryable)
            throw new PlatformError('INJECTED_OUTAGE', `injected failure before ${step}`, true);
          throw new Error(`injected bug before ${step}`);
        },
      },
    });
    await service.start();
  });

  afterAll(async () => {
    await service?.stop();
    await dropDatabase(mongoUrl);
    await deleteTopic(topic);
  });

  const sagaOf = (userId: string, key: string) =>
    service.models.sagas.findById(creationSagaId(userId, key)).lean<SagaDoc>();

  async function expectNothingLeft(roomId: string): Promise<void> {
    expect(await service.models.rooms.countDocuments({ _id: roomId })).toBe(0);
    expect(await service.models.memberships.countDocuments({ roomId })).toBe(0);
  }

  for (const step of ['createRoom', 'addParticipants', 'announce'] as const) {
    it(`failing at ${step} leaves nothing behind and tells the client ROOM_CREATION_FAILED, retryable`, async () => {
      const owner = uniqueName('owner');
      const key = uniqueName('key');
      const api = client(service.app, await tokenFor(config, owner));
      const eventsBefore = await recordCount(topic);
      failure = { step, retryable: true };
      const reply = await api<ErrorReply>(
        'POST',
        '/v1/rooms',
        { name: 'Doomed', memberIds: ['u1', 'u2'] },
        { 'idempotency-key': key },
      );
      failure = undefined;

      expect(reply.status).toBe(503);
      expect(reply.body.error).toEqual({
        code: 'ROOM_CREATION_FAILED',
        message: 'the room could not be created and nothing of it was kept',
        retryable: true,
      });
      const saga = (await sagaOf(owner, key))!;
      expect(saga.state).toBe('failed');
      expect(saga.error).toMatchObject({ retryable: true, step });
      expect(saga.steps.filter((state) => state.name !== 'announce').map((state) => state.status)).toEqual([
        'compensated',
        'compensated',
      ]);
      await expectNothingLeft(saga.roomId);

      // The same request again, once the outage is over, creates the room.
      const retried = await api<{ room: { roomId: string; status: string } }>(
        'POST',
        '/v1/rooms',
        { name: 'Doomed', memberIds: ['u1', 'u2'] },
        { 'idempotency-key': key },
      );
      expect(retried.status).toBe(201);
      expect(retried.body.room).toMatchObject({ roomId: saga.roomId, status: 'active' });
      expect((await readTopic(topic, eventsBefore + 1)).at(-1)?.event.type).toBe('room.created');
      expect(await recordCount(topic)).toBe(eventsBefore + 1);
    });
  }

  it('a failure that retrying cannot fix is final for its key', async () => {
    const owner = uniqueName('owner');
    const key = uniqueName('key');
    const api = client(service.app, await tokenFor(config, owner));
    failure = { step: 'addParticipants', retryable: false };
    const reply = await api<ErrorReply>(
      'POST',
      '/v1/rooms',
      { name: 'Bug', memberIds: [] },
      { 'idempotency-key': key },
    );
    failure = undefined;
    expect(reply.status).toBe(500);
    expect(reply.body.error).toMatchObject({ code: 'ROOM_CREATION_FAILED', retryable: false });
    expect(JSON.stringify(reply.body)).not.toContain('injected');
    const again = await api<ErrorReply>(
      'POST',
      '/v1/rooms',
      { name: 'Bug', memberIds: [] },
      { 'idempotency-key': key },
    );
    expect(again.status).toBe(500);
    await expectNothingLeft((await sagaOf(owner, key))!.roomId);
  });

  function crashDuringCreation(owner: string, key: string, crashAfter: CreationStep) {
    return startRoomProcess(
      testEnv(mongoUrl, topic, {
        ROOM_PROCESS_MODE: 'create-room',
        ROOM_INPUT: JSON.stringify({
          kind: 'group',
          name: 'Crashy',
          createdBy: owner,
          memberIds: ['u1', 'u2'],
        }),
        ROOM_KEY: key,
        CRASH_AT: `saga.afterStep.${crashAfter}`,
      }),
    );
  }

  it('killed (SIGKILL) after adding the participants, is resumed on restart: one room, its memberships, one created event', async () => {
    const owner = uniqueName('owner');
    const key = uniqueName('key');
    const eventsBefore = await recordCount(topic);
    expect((await crashDuringCreation(owner, key, 'addParticipants').exited).signal).toBe('SIGKILL');

    const crashed = (await sagaOf(owner, key))!;
    expect(crashed.state).toBe('running');
    expect((await service.models.rooms.findById(crashed.roomId).lean<RoomDoc>())?.status).toBe('creating');
    const api = client(service.app, await tokenFor(config, owner));
    // Half made, and invisible: nobody can see or use it.
    expect((await api<ErrorReply>('GET', `/v1/rooms/${crashed.roomId}`)).body.error.code).toBe(
      'ROOM_NOT_FOUND',
    );

    await waitFor(
      'recovery to finish the saga',
      async () => (await sagaOf(owner, key))?.state === 'completed',
      {
        timeoutMs: 20_000,
      },
    );
    const room = (await service.models.rooms.findById(crashed.roomId).lean<RoomDoc>())!;
    expect(room.status).toBe('active');
    expect(room.members.map((member) => member.userId)).toEqual([owner, 'u1', 'u2']);
    expect(await service.models.memberships.countDocuments({ roomId: room._id, status: 'active' })).toBe(3);
    const records = (await readTopic(topic, eventsBefore + 1)).filter((record) => record.key === room._id);
    expect(records.map((record) => record.event.type)).toEqual(['room.created']);

    const retried = await api<{ room: { roomId: string } }>(
      'POST',
      '/v1/rooms',
      { name: 'Crashy', memberIds: ['u1', 'u2'] },
      { 'idempotency-key': key },
    );
    expect(retried.status).toBe(200);
    expect(retried.body.room.roomId).toBe(room._id);
  });

  it('killed (SIGKILL) after creating the room, is compensated when resuming fails', async () => {
    const owner = uniqueName('owner');
    const key = uniqueName('key');
    expect((await crashDuringCreation(owner, key, 'createRoom').exited).signal).toBe('SIGKILL');
    const crashed = (await sagaOf(owner, key))!;
    expect(await service.models.rooms.countDocuments({ _id: crashed.roomId })).toBe(1);

    failure = { step: 'addParticipants', retryable: true };
    try {
      await waitFor(
        'recovery to compensate the saga',
        async () => (await sagaOf(owner, key))?.state === 'failed',
        {
          timeoutMs: 20_000,
        },
      );
    } finally {
      failure = undefined;
    }
    await expectNothingLeft(crashed.roomId);
  });
});
