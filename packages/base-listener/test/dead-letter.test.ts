import { HEADERS } from '@chat/contracts';
import { waitFor } from '@chat/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { readDeadLetters, replayDeadLetters } from '../src/index.js';
import { messageSent, recordOf } from '@chat/testkit/events';
import { committedOffsets, createTopic, endpoints, produce, testLogger } from './support/kafka.js';
import { FunctionListener, listenerPool, testOptions } from './support/listeners.js';

const pool = listenerPool();
afterEach(() => pool.stopAll());

describe('dead-letter queue', () => {
  it('dead-letters an always-failing event with its full context, moves on, and replays it onto its source topic', async () => {
    const topic = await createTopic('dlq-exhausted');
    const poison = messageSent('room-a');
    const next = messageSent('room-a');
    let downstreamFixed = false;
    const attempts: string[] = [];
    const applied: { id: string; replayedFrom?: string }[] = [];
    const options = testOptions({
      topics: [topic],
      retry: { mode: 'blocking', maxAttempts: 3, initialDelayMs: 50 },
    });
    const listener = new FunctionListener(options, async (event, context) => {
      attempts.push(event.eventId);
      if (event.eventId === poison.eventId && !downstreamFixed) throw new Error('row is locked');
      applied.push({ id: event.eventId, replayedFrom: context.headers[HEADERS.replayedFrom] });
    });
    await pool.start(listener);
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    await produce(topic, [
      recordOf(poison, { [HEADERS.traceparent]: traceparent, 'x-origin': 'test' }),
      recordOf(next),
    ]);

    await waitFor('the partition to move past the poison event', () => applied.length === 1);
    expect(applied[0]?.id).toBe(next.eventId);
    expect(attempts.filter((id) => id === poison.eventId)).toHaveLength(3);
    await waitFor(
      'both source offsets committed',
      async () => (await committedOffsets(options.groupId, topic))[0] === 2,
    );

    const letters = await readDeadLetters({
      groupId: options.groupId,
      brokers: endpoints.kafkaBrokers,
      logger: testLogger,
    });
    expect(letters).toHaveLength(1);
    const [letter] = letters;
    expect(letter?.key?.toString()).toBe('room-a');
    expect(JSON.parse(letter!.value!.toString())).toEqual(poison);
    expect(letter?.headers).toEqual({ [HEADERS.traceparent]: traceparent, 'x-origin': 'test' });
    expect(letter?.context).toMatchObject({
      originalTopic: topic,
      originalPartition: 0,
      originalOffset: '0',
      consumerGroup: options.groupId,
      reason: 'exhausted',
      errorClass: 'Error',
      errorMessage: 'row is locked',
      attempts: 3,
    });
    expect(letter?.context.errorStack).toMatch(/row is locked\n\s+at /);
    const { firstFailureAt, deadLetteredAt, originalTimestamp } = letter!.context;
    expect(Date.parse(originalTimestamp)).toBeLessThanOrEqual(Date.parse(firstFailureAt));
    expect(Date.parse(firstFailureAt)).toBeLessThan(Date.parse(deadLetteredAt));

    downstreamFixed = true;
    const report = await replayDeadLetters({
      groupId: options.groupId,
      brokers: endpoints.kafkaBrokers,
      logger: testLogger,
      filter: (candidate) => candidate.context.originalTopic === topic,
    });
    expect(report).toMatchObject({ scanned: 1, dryRun: false });
    expect(report.replayed).toHaveLength(1);
    await waitFor('the replayed event to be applied', () => applied.length === 2);
    expect(applied[1]).toEqual({ id: poison.eventId, replayedFrom: `${options.groupId}.dlq:0:0` });
    await waitFor(
      'the replay committed',
      async () => (await committedOffsets(options.groupId, topic))[0] === 3,
    );
  });

  it('sends invalid and unknown-version events to the DLQ at once, without retries', async () => {
    const topic = await createTopic('dlq-poison');
    const valid = messageSent('room-b');
    const handled: string[] = [];
    const retries: unknown[] = [];
    const options = testOptions({
      topics: [topic],
      retry: { mode: 'blocking', maxAttempts: 5, initialDelayMs: 50 },
    });
    const listener = new FunctionListener(options, async (event) => {
      handled.push(event.eventId);
    });
    listener.events.on('retry', (retry) => retries.push(retry));
    await pool.start(listener);
    const nextMajor = { ...messageSent('room-b'), version: '2.0' };
    const broken = { ...messageSent('room-b'), payload: { roomId: 'room-b' } };
    await produce(topic, [
      { key: 'room-b', value: '{not json' },
      { key: 'room-b', value: JSON.stringify(broken) },
      { key: 'room-b', value: JSON.stringify(nextMajor) },
      recordOf(valid),
    ]);

    await waitFor('the valid event behind the poison to be applied', () => handled.length === 1);
    expect(handled).toEqual([valid.eventId]);
    await waitFor(
      'all four offsets committed',
      async () => (await committedOffsets(options.groupId, topic))[0] === 4,
    );
    expect(retries).toEqual([]);

    const letters = await readDeadLetters({
      groupId: options.groupId,
      brokers: endpoints.kafkaBrokers,
      logger: testLogger,
    });
    expect(
      letters.map((letter) => [
        letter.context.originalOffset,
        letter.context.errorClass,
        letter.context.errorCode,
      ]),
    ).toEqual([
      ['0', 'ValidationError', 'EVENT_NOT_JSON'],
      ['1', 'ValidationError', 'EVENT_INVALID'],
      ['2', 'UnknownVersionError', 'EVENT_VERSION_UNKNOWN'],
    ]);
    for (const letter of letters) {
      expect(letter.context).toMatchObject({ reason: 'fatal', attempts: 1 });
    }
    const dryRun = await replayDeadLetters({
      groupId: options.groupId,
      brokers: endpoints.kafkaBrokers,
      logger: testLogger,
      dryRun: true,
      filter: (letter) => letter.context.errorClass === 'UnknownVersionError',
    });
    expect(dryRun).toMatchObject({ scanned: 3, dryRun: true });
    expect(dryRun.replayed.map((letter) => letter.context.originalOffset)).toEqual(['2']);
  });
});
