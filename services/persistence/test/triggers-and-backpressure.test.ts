import type { Admin } from 'kafkajs';
import { register } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@chat/testkit';
import {
  committedOffsets,
  connectModels,
  databaseUrl,
  isolatedStreams,
  kafka,
  produceMessages,
  worker,
} from './support.js';

async function flushCount(trigger: string): Promise<number> {
  const metric = register.getSingleMetric('persistence_flush_duration_seconds');
  if (!metric) return 0;
  const count = (await metric.get()).values.find(
    (value) =>
      (value as { metricName?: string }).metricName?.endsWith('_count') && value.labels.trigger === trigger,
  );
  return count?.value ?? 0;
}

describe('flush triggers and backpressure', () => {
  let admin: Admin;
  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
  });
  afterAll(() => admin.disconnect());

  it('flushes on volume when the buffer reaches the threshold, and on the timer when it does not', async () => {
    const streams = await isolatedStreams(admin);
    const { connection, models } = await connectModels(databaseUrl(streams.database));
    // A long timer, so only volume can flush the first 2000; the last 7 wait for the timer.
    await produceMessages(streams.messages, 2007, ['a', 'b', 'c']);
    const volumeBefore = await flushCount('volume');
    const timerBefore = await flushCount('timer');
    const subject = worker({
      models,
      groupId: streams.groupId,
      topics: [streams.messages],
      flushMaxEvents: 500,
      flushIntervalMs: 3000,
    });
    await subject.start();
    await waitFor('2000 stored by volume', async () => (await models.Message.countDocuments()) >= 2000, {
      timeoutMs: 60_000,
    });
    expect((await flushCount('volume')) - volumeBefore).toBeGreaterThanOrEqual(4);
    await waitFor(
      'the last 7 stored by the timer',
      async () => (await models.Message.countDocuments()) === 2007,
      { timeoutMs: 30_000 },
    );
    expect((await flushCount('timer')) - timerBefore).toBeGreaterThanOrEqual(1);
    await subject.stop();
    await connection.dropDatabase();
    await connection.close();
  });

  it('pauses consumption when the buffer is full and resumes when it drains', async () => {
    const streams = await isolatedStreams(admin);
    const { connection, models } = await connectModels(databaseUrl(streams.database));
    await produceMessages(streams.messages, 3000, ['a', 'b', 'c'], 30);
    // Small fetches (about 50 records of this size; a fetch returns at least one whole
    // record batch, here at most 30 records), so the bound below is tight. Small flushes, one
    // at a time, write far slower than the fetches fill the buffer, so it does fill up (with
    // flushes of 200 a quiet database kept up, and nothing ever paused).
    const subject = worker({
      models,
      groupId: streams.groupId,
      topics: [streams.messages],
      flushMaxEvents: 50,
      bufferMaxEvents: 400,
      maxBytesPerPartition: 16 * 1024,
    });
    const transitions: boolean[] = [];
    let peak = 0;
    const sample = () => (peak = Math.max(peak, subject.health().buffered));
    // A pause happens at the bound, so the buffer is read there too: a 1 ms sampler alone can miss the peak.
    subject.events.on('paused', ({ paused }) => {
      transitions.push(paused);
      sample();
    });
    const sampler = setInterval(sample, 1);
    await subject.start();
    await waitFor('3000 stored', async () => (await models.Message.countDocuments()) === 3000, {
      timeoutMs: 60_000,
    });
    clearInterval(sampler);
    await subject.stop();
    expect(transitions.filter((paused) => paused).length).toBeGreaterThan(0);
    expect(transitions.at(-1)).toBe(false);
    // Memory is bounded by the maximum plus one fetch per partition (3 × ~60 records).
    expect(peak).toBeGreaterThanOrEqual(400);
    expect(peak).toBeLessThanOrEqual(400 + 3 * 60);
    await connection.dropDatabase();
    await connection.close();
  });

  it('resumes consumption after a failed commit, even when that flush emptied the buffer', async () => {
    const streams = await isolatedStreams(admin, 1);
    const { connection, models } = await connectModels(databaseUrl(streams.database));
    // One partition and one fetch of all 60: the buffer fills to three times its bound.
    await produceMessages(streams.messages, 60, ['a']);
    let failedCommits = 0;
    const subject = worker({
      models,
      groupId: streams.groupId,
      topics: [streams.messages],
      flushMaxEvents: 20,
      bufferMaxEvents: 20,
      // The flush that drains a paused buffer fails between its write and its commit, once.
      failpoint: (point) => {
        const { paused, buffered } = subject.health();
        if (point !== 'after-write' || !paused || buffered > 0 || failedCommits > 0) return;
        failedCommits += 1;
        throw new Error('commit refused (test)');
      },
    });
    const transitions: boolean[] = [];
    subject.events.on('paused', ({ paused }) => transitions.push(paused));
    await subject.start();
    await waitFor('60 stored', async () => (await models.Message.countDocuments()) === 60, {
      timeoutMs: 30_000,
    });
    await waitFor('consumption resumed', () => transitions.at(-1) === false, { timeoutMs: 10_000 });
    expect(failedCommits).toBe(1);
    // Consumption goes on, and the next flush's commit carries the failed one's offsets.
    await produceMessages(streams.messages, 5, ['a']);
    await waitFor('65 stored', async () => (await models.Message.countDocuments()) === 65, {
      timeoutMs: 30_000,
    });
    await waitFor(
      'offsets committed past all 65',
      async () => (await committedOffsets(streams.groupId, streams.messages)).get(0) === '65',
      { timeoutMs: 10_000 },
    );
    await subject.stop();
    await connection.dropDatabase();
    await connection.close();
  });
});
