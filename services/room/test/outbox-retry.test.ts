import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { register } from 'prom-client';
import { createLogger } from '@chat/runtime';
import { uniqueName, waitFor } from '@chat/testkit';
import { createMutex, type RoomDoc } from '@chat/room-store';
import { OutboxDispatcher } from '../src/outbox/dispatcher.js';
import type { OutgoingEvent, RoomEventSink } from '../src/outbox/sink.js';
import { createRoomService, type RoomService } from '../src/service.js';
import { client } from './support/http.js';
import { dropDatabase, testConfig, testMongoUrl, tokenFor } from './support/infra.js';

const logger = createLogger('room-test', 'fatal');

/** Kafka's stand-in at the dispatcher's port: fails while `failing` says so, records what it accepted. */
function flakySink(failing: (event: OutgoingEvent) => boolean) {
  const accepted: string[] = [];
  const sink: RoomEventSink = {
    async publish(events) {
      if (events.some(failing)) throw new Error('broker unavailable');
      accepted.push(...events.map(({ event }) => event.eventId));
    },
  };
  return { sink, accepted };
}

async function deadCount(): Promise<number> {
  const metric = await register.getSingleMetric('room_outbox_dead_total')?.get();
  return metric?.values.reduce((sum, value) => sum + value.value, 0) ?? 0;
}

describe('the outbox dispatcher when publishing fails', () => {
  const mongoUrl = testMongoUrl();
  let writer: RoomService;
  let api: ReturnType<typeof client>;
  let config: ReturnType<typeof testConfig>;

  beforeAll(async () => {
    config = testConfig(mongoUrl, 'unused-topic', { DISPATCHER_ENABLED: 'false' });
    writer = await createRoomService({ config, logger });
    api = client(writer.app, await tokenFor(config, uniqueName('owner')));
  });

  afterAll(async () => {
    await writer?.stop();
    await dropDatabase(mongoUrl);
  });

  async function roomWithEvents(renames: number): Promise<RoomDoc> {
    const created = await api<{ room: { roomId: string } }>('POST', '/v1/rooms', {
      name: 'n0',
      memberIds: [],
    });
    const { roomId } = created.body.room;
    for (let index = 1; index <= renames; index++)
      await api('PATCH', `/v1/rooms/${roomId}`, { name: `n${index}` });
    return (await writer.models.rooms.findById(roomId).lean<RoomDoc>())!;
  }

  function dispatcher(sink: RoomEventSink, maxAttempts: number) {
    return new OutboxDispatcher({
      rooms: writer.models.rooms,
      memberships: writer.models.memberships,
      mutex: createMutex(writer.connection.db!),
      sink,
      logger,
      config: {
        ...config.dispatcher,
        owner: uniqueName('dispatcher'),
        maxAttempts,
        backoffBaseMs: 20,
        backoffMaxMs: 80,
      },
    });
  }

  it('retries with backoff, holding back later events so the order survives', async () => {
    const room = await roomWithEvents(2);
    const ids = room.outbox.map((entry) => entry.eventId);
    let failures = 3;
    const { sink, accepted } = flakySink(() => failures-- > 0);
    const subject = dispatcher(sink, 10);

    const read = async () => (await writer.models.rooms.findById(room._id).lean<RoomDoc>())!;
    for (let attempt = 1; attempt <= 3; attempt++) {
      const head = await waitFor(`attempt ${attempt}`, async () => {
        await subject.runOnce();
        const entry = (await read()).outbox[0]!;
        return entry.attempts === attempt ? entry : undefined;
      });
      expect(head).toMatchObject({ status: 'pending', lastError: 'broker unavailable' });
      // Waiting for its retry; the events behind it were due all along but must not overtake it.
      expect(head.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() - 100);
      expect((await read()).outboxDueAt?.getTime()).toBe(head.nextAttemptAt.getTime());
    }
    expect(accepted).toEqual([]);
    await waitFor('the events published', async () => {
      await subject.runOnce();
      return accepted.length === 3;
    });
    expect(accepted).toEqual(ids);
    const after = (await writer.models.rooms.findById(room._id).lean<RoomDoc>())!;
    expect(after.outbox.map((entry) => entry.status)).toEqual(['sent', 'sent', 'sent']);
    expect(after.outboxDueAt).toBeNull();
    expect(after.leaseOwner).toBeNull();
  });

  it('parks an event as dead after its last attempt and goes on with the next', async () => {
    const room = await roomWithEvents(1);
    const [poison, next] = room.outbox.map((entry) => entry.eventId) as [string, string];
    const { sink, accepted } = flakySink(({ event }) => event.eventId === poison);
    const subject = dispatcher(sink, 3);
    const deadBefore = await deadCount();

    await waitFor('the next event published', async () => {
      await subject.runOnce();
      return accepted.includes(next);
    });
    const after = (await writer.models.rooms.findById(room._id).lean<RoomDoc>())!;
    expect(after.outbox.map((entry) => [entry.eventId, entry.status, entry.attempts])).toEqual([
      [poison, 'dead', 3],
      [next, 'sent', 1],
    ]);
    expect(after.outboxDueAt).toBeNull();
    expect(accepted.filter((eventId) => eventId === poison || eventId === next)).toEqual([next]);
    expect(await deadCount()).toBe(deadBefore + 1);
  });
});
