import { waitFor } from '@chat/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import type { ListenerEventMap } from '../src/index.js';
import { messageSent, recordOf } from '@chat/testkit/events';
import { committedOffsets, createTopic, produce, readTopic } from './support/kafka.js';
import { FunctionListener, listenerPool, testOptions } from './support/listeners.js';

const pool = listenerPool();
afterEach(() => pool.stopAll());

type Retry = ListenerEventMap['retry'][0];

describe('retries', () => {
  it('blocking: retries a failing event with growing delays, applies it once, and holds later events of its key', async () => {
    const topic = await createTopic('retry-blocking');
    const first = messageSent('room-a');
    const second = messageSent('room-a');
    const attemptsAt: number[] = [];
    const applied: string[] = [];
    const options = testOptions({
      topics: [topic],
      retry: { mode: 'blocking', maxAttempts: 5, initialDelayMs: 300, multiplier: 3 },
    });
    const listener = new FunctionListener(options, async (event) => {
      if (event.eventId === first.eventId) {
        attemptsAt.push(Date.now());
        if (attemptsAt.length <= 2) throw new Error('downstream hiccup');
      }
      applied.push(event.eventId);
    });
    const retries: Retry[] = [];
    listener.events.on('retry', (retry) => retries.push(retry));
    await pool.start(listener);
    await produce(topic, [recordOf(first), recordOf(second)]);

    await waitFor('both events applied', () => applied.length === 2);
    expect(applied).toEqual([first.eventId, second.eventId]);
    expect(attemptsAt).toHaveLength(3);
    expect(retries.map((retry) => retry.mode)).toEqual(['blocking', 'blocking']);
    const [firstDelay, secondDelay] = retries.map((retry) => retry.delayMs) as [number, number];
    expect(secondDelay).toBeGreaterThan(firstDelay);
    expect(attemptsAt[1]! - attemptsAt[0]!).toBeGreaterThanOrEqual(firstDelay);
    expect(attemptsAt[2]! - attemptsAt[1]!).toBeGreaterThanOrEqual(secondDelay);
    await waitFor(
      'both offsets committed',
      async () => (await committedOffsets(options.groupId, topic))[0] === 2,
    );
  });

  it('topics: parks a failing event in growing retry topics while later events go ahead, and applies it once', async () => {
    const topic = await createTopic('retry-topics');
    const failing = messageSent('room-a');
    const other = messageSent('room-a');
    const attemptsAt: number[] = [];
    const applied: string[] = [];
    const options = testOptions({
      topics: [topic],
      retry: { mode: 'topics', maxAttempts: 3, initialDelayMs: 400, multiplier: 3 },
    });
    const listener = new FunctionListener(options, async (event, context) => {
      if (event.eventId === failing.eventId) {
        attemptsAt.push(Date.now());
        expect(context.attempt).toBe(attemptsAt.length);
        expect(context.topic).toBe(topic);
        if (attemptsAt.length <= 2) throw new Error('downstream hiccup');
      }
      applied.push(event.eventId);
    });
    const retries: Retry[] = [];
    listener.events.on('retry', (retry) => retries.push(retry));
    await pool.start(listener);
    await produce(topic, [recordOf(failing), recordOf(other)]);

    await waitFor('both events applied', () => applied.length === 2, { timeoutMs: 20_000 });
    expect(applied).toEqual([other.eventId, failing.eventId]);
    expect(retries.map((retry) => [retry.mode, retry.attempt])).toEqual([
      ['topics', 1],
      ['topics', 2],
    ]);
    const [firstDelay, secondDelay] = retries.map((retry) => retry.delayMs) as [number, number];
    expect(secondDelay).toBeGreaterThan(firstDelay);
    expect(attemptsAt[1]! - attemptsAt[0]!).toBeGreaterThanOrEqual(firstDelay);
    expect(attemptsAt[2]! - attemptsAt[1]!).toBeGreaterThanOrEqual(secondDelay);

    const retry1 = await readTopic(`${options.groupId}.${topic}.retry.1`);
    const retry2 = await readTopic(`${options.groupId}.${topic}.retry.2`);
    expect(retry1).toHaveLength(1);
    expect(retry2).toHaveLength(1);
    expect(retry2[0]?.headers['chat-retry-attempts']).toBe('2');
    expect(retry2[0]?.headers['chat-retry-original-offset']).toBe('0');
    await waitFor(
      'source offsets committed',
      async () => (await committedOffsets(options.groupId, topic))[0] === 2,
    );
    expect(await readTopic(`${options.groupId}.dlq`)).toHaveLength(0);
  });
});
