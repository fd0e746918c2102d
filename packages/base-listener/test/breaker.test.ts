import { waitFor } from '@chat/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { type BreakerState, readDeadLetters } from '../src/index.js';
import { messageSent, recordOf } from '@chat/testkit/events';
import { committedOffsets, createTopic, endpoints, produce, testLogger } from './support/kafka.js';
import { FunctionListener, listenerPool, testOptions } from './support/listeners.js';

const pool = listenerPool();
afterEach(() => pool.stopAll());

describe('circuit breaker', () => {
  it('pauses while the downstream fails (lag grows, nothing acked) and processes everything once it recovers', async () => {
    const topic = await createTopic('breaker', 2);
    const rooms = ['room-a', 'room-b', 'room-c', 'room-d'];
    const firstWave = rooms.map((room) => messageSent(room));
    const secondWave = rooms.map((room) => messageSent(room));
    let downstreamUp = false;
    const applied: string[] = [];
    const options = testOptions({
      topics: [topic],
      retry: { mode: 'blocking', maxAttempts: 20, initialDelayMs: 20, multiplier: 1.5, maxDelayMs: 200 },
      breaker: { volumeThreshold: 3, errorThresholdPercentage: 50, resetTimeoutMs: 1_000 },
    });
    const listener = await pool.start(
      new FunctionListener(options, async (event) => {
        if (!downstreamUp) throw new Error('database unavailable');
        applied.push(event.eventId);
      }),
    );
    const states: BreakerState[] = [];
    listener.events.on('breaker', ({ state }) => states.push(state));

    await produce(
      topic,
      firstWave.map((event) => recordOf(event)),
    );
    await waitFor('the breaker to open and the listener to pause', () => listener.health().paused);
    expect(listener.health()).toMatchObject({ status: 'degraded', breaker: 'open', paused: true });

    await produce(
      topic,
      secondWave.map((event) => recordOf(event)),
    );
    // A failed half-open trial must put it straight back to open and paused, never ack the record.
    await waitFor('a failed half-open trial', () => states.join().includes('half-open,open'), {
      timeoutMs: 10_000,
    });
    const lag = await listener.refreshLag();
    expect(lag.reduce((sum, partition) => sum + partition.lag, 0)).toBe(8);
    expect(listener.health().lag.total).toBe(8);
    expect(await committedOffsets(options.groupId, topic)).toEqual([-1, -1]);
    expect(applied).toEqual([]);

    downstreamUp = true;
    await waitFor('every event applied', () => applied.length === 8, { timeoutMs: 15_000 });
    expect(new Set(applied)).toEqual(new Set([...firstWave, ...secondWave].map((event) => event.eventId)));
    await waitFor('every offset committed', async () => {
      const offsets = await committedOffsets(options.groupId, topic);
      return offsets.reduce((sum, offset) => sum + offset, 0) === 8;
    });
    expect(states.at(-1)).toBe('closed');
    await listener.refreshLag();
    expect(listener.health()).toMatchObject({
      status: 'up',
      breaker: 'closed',
      paused: false,
      lag: { total: 0 },
    });
    expect(
      await readDeadLetters({
        groupId: options.groupId,
        brokers: endpoints.kafkaBrokers,
        logger: testLogger,
      }),
    ).toEqual([]);
  });
});
