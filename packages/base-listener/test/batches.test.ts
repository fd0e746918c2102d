import type { AnyEvent, EventType } from '@chat/contracts';
import { ConfigError } from '@chat/runtime';
import { waitFor } from '@chat/testkit';
import { messageSent, recordOf } from '@chat/testkit/events';
import { afterEach, describe, expect, it } from 'vitest';
import { type BatchItem, type ListenerOptions, readDeadLetters } from '../src/index.js';
import { committedOffsets, createTopic, endpoints, produce, testLogger } from './support/kafka.js';
import { FunctionListener, listenerPool, testOptions, type TestHandler } from './support/listeners.js';

const pool = listenerPool();
afterEach(() => pool.stopAll());

/** A listener that also applies runs at once; `handle` stays its per-record path. */
class BatchListener extends FunctionListener {
  constructor(
    options: ListenerOptions<EventType>,
    handle: TestHandler,
    private readonly batch: (items: readonly BatchItem[]) => Promise<void>,
  ) {
    super(options, handle);
  }

  protected override handleBatch(items: readonly BatchItem<AnyEvent>[]): Promise<void> {
    return this.batch(items);
  }
}

const batchOptions = (topic: string) =>
  testOptions({
    topics: [topic],
    idempotency: { enabled: false },
    retry: { maxAttempts: 3, initialDelayMs: 20 },
  });

describe('listeners that apply runs of records at once', () => {
  it('applies a backlog in runs, in partition order, each record once, and commits past it', async () => {
    const topic = await createTopic('batches', 1);
    const sent = Array.from({ length: 40 }, () => messageSent('room-a'));
    await produce(
      topic,
      sent.map((event) => recordOf(event)),
    );
    const applied: string[] = [];
    const runs: number[] = [];
    const options = batchOptions(topic);
    const listener = new BatchListener(
      options,
      async (event) => void applied.push(event.eventId),
      async (items) => {
        runs.push(items.length);
        for (const { event, context } of items) {
          expect(context.attempt).toBe(1);
          applied.push(event.eventId);
        }
      },
    );
    let handled = 0;
    listener.events.on('handled', () => (handled += 1));
    await pool.start(listener);

    await waitFor('every record applied', () => applied.length >= sent.length);
    expect(applied).toEqual(sent.map((event) => event.eventId));
    expect(Math.max(...runs)).toBeGreaterThan(1);
    expect(handled).toBe(sent.length);
    await waitFor(
      'the offsets committed',
      async () => (await committedOffsets(options.groupId, topic))[0] === 40,
    );
  });

  it('takes a failed run again record by record, dead-letters a poison record and applies the rest in order', async () => {
    const topic = await createTopic('batches-failing', 1);
    const [first, second, third, fourth] = Array.from({ length: 4 }, () => messageSent('room-b'));
    await produce(topic, [
      recordOf(first!),
      recordOf(second!),
      { key: 'room-b', value: '{not json' },
      recordOf(third!),
      recordOf(fourth!),
    ]);
    const applied: string[] = [];
    const oneByOne: string[] = [];
    let batchCalls = 0;
    const options = batchOptions(topic);
    await pool.start(
      new BatchListener(
        options,
        async (event) => {
          oneByOne.push(event.eventId);
          applied.push(event.eventId);
        },
        async (items) => {
          batchCalls += 1;
          if (batchCalls === 1) throw new Error('redis is loading');
          for (const { event } of items) applied.push(event.eventId);
        },
      ),
    );

    await waitFor('the records behind the poison applied', () => applied.includes(fourth!.eventId));
    expect(applied).toEqual([first, second, third, fourth].map((event) => event!.eventId));
    // The failed run (the two records before the poison) went through `handle`, one by one.
    expect(oneByOne.slice(0, 2)).toEqual([first!.eventId, second!.eventId]);
    await waitFor(
      'all five offsets committed',
      async () => (await committedOffsets(options.groupId, topic))[0] === 5,
    );
    const letters = await readDeadLetters({
      groupId: options.groupId,
      brokers: endpoints.kafkaBrokers,
      logger: testLogger,
    });
    expect(letters.map((letter) => letter.context.originalOffset)).toEqual(['2']);
  });

  it('refuses a batch handler on a listener with its idempotency store on', () => {
    const make = () =>
      new BatchListener(
        testOptions({ topics: ['unused'] }),
        async () => undefined,
        async () => undefined,
      );
    expect(make).toThrow(ConfigError);
  });
});
