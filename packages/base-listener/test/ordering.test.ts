import { waitFor } from '@chat/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { messageSent, recordOf } from '@chat/testkit/events';
import { committedOffsets, createTopic, produce } from './support/kafka.js';
import { FunctionListener, listenerPool, testOptions } from './support/listeners.js';

const pool = listenerPool();
afterEach(() => pool.stopAll());

describe('ordering', () => {
  it('processes partitions concurrently and each key strictly in order', async () => {
    const topic = await createTopic('ordering', 3);
    const rooms = Array.from({ length: 6 }, (_, index) => `room-${index}`);
    const perRoom = 10;
    const sent = new Map(
      rooms.map((room) => [room, Array.from({ length: perRoom }, () => messageSent(room))]),
    );
    const seen = new Map<string, string[]>();
    let inFlight = 0;
    let mostInFlight = 0;
    const options = testOptions({ topics: [topic], concurrency: 3 });
    await pool.start(
      new FunctionListener(options, async (event) => {
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 10));
        const roomId = (event.payload as { roomId: string }).roomId;
        seen.set(roomId, [...(seen.get(roomId) ?? []), event.eventId]);
        inFlight -= 1;
      }),
    );
    // Interleave rooms so every partition has work at once.
    const records = Array.from({ length: perRoom }, (_, index) =>
      rooms.map((room) => recordOf(sent.get(room)![index]!)),
    ).flat();
    await produce(topic, records);

    await waitFor('every event handled', () => [...seen.values()].flat().length === rooms.length * perRoom, {
      timeoutMs: 30_000,
    });
    for (const room of rooms) expect(seen.get(room)).toEqual(sent.get(room)!.map((event) => event.eventId));
    expect(mostInFlight).toBeGreaterThan(1);
    await waitFor('all offsets committed', async () => {
      const offsets = await committedOffsets(options.groupId, topic);
      return offsets.reduce((sum, offset) => sum + offset, 0) === rooms.length * perRoom;
    });
  });
});
