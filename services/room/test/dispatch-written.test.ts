import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@chat/runtime';
import { uniqueName, waitFor } from '@chat/testkit';
import { dispatchTicks } from '../src/metrics.js';
import { createRoomService, type RoomService } from '../src/service.js';
import { client } from './support/http.js';
import {
  createTopic,
  deleteTopic,
  dropDatabase,
  readTopic,
  testConfig,
  testMongoUrl,
  tokenFor,
} from './support/infra.js';

/** Dispatcher passes so far, of one kind. */
const passes = async (pass: 'written' | 'scan') =>
  (await dispatchTicks.get()).values
    .filter((value) => value.labels.pass === pass)
    .reduce((sum, value) => sum + value.value, 0);

describe('the dispatcher and the rooms written in its process', () => {
  const mongoUrl = testMongoUrl();
  let topic: string;
  let service: RoomService;
  let config: ReturnType<typeof testConfig>;

  beforeAll(async () => {
    topic = await createTopic();
    // Scans a minute apart: whatever leaves within the test left without one.
    config = testConfig(mongoUrl, topic, { DISPATCH_TICK_MS: '60000', SAGA_RECOVERY_INTERVAL_MS: '60000' });
    service = await createRoomService({ config, logger: createLogger('room-test', 'warn') });
    await service.start();
  });

  afterAll(async () => {
    await service?.stop();
    await dropDatabase(mongoUrl);
    await deleteTopic(topic);
  });

  it('publishes them by id, in order, without scanning for due rooms', async () => {
    await waitFor('the scan at start', async () => (await passes('scan')) >= 1);
    const scansBefore = await passes('scan');
    const api = client(service.app, await tokenFor(config, uniqueName('owner')));
    const created = await api<{ room: { roomId: string } }>('POST', '/v1/rooms', {
      name: 'r0',
      memberIds: [],
    });
    const { roomId } = created.body.room;
    for (const name of ['r1', 'r2', 'r3']) {
      expect((await api('PATCH', `/v1/rooms/${roomId}`, { name })).status).toBe(200);
    }

    const records = await readTopic(topic, 4, 15_000);
    const names = records
      .filter(({ key }) => key === roomId)
      .map(({ event }) => (event.type === 'room.created' ? 'created' : String(event.payload.name)));
    expect(names).toEqual(['created', 'r1', 'r2', 'r3']);
    expect(await passes('scan')).toBe(scansBefore);
    expect(await passes('written')).toBeGreaterThan(0);
  });
});
