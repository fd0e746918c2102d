import { waitFor } from '@chat/testkit';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { messageSent, recordOf } from '@chat/testkit/events';
import { committedOffsets, createTopic, produce } from './support/kafka.js';
import { FunctionListener, listenerPool, testOptions } from './support/listeners.js';

const pool = listenerPool();
afterEach(() => pool.stopAll());

function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const line = text
    .split('\n')
    .find(
      (candidate) => candidate.startsWith(`${name}{`) && wanted.every((label) => candidate.includes(label)),
    );
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('metrics and health', () => {
  it('exposes every listener metric with sane values, registered once per registry', async () => {
    const topic = await createTopic('metrics');
    const registry = new Registry();
    const ok = messageSent('room-m');
    const flaky = messageSent('room-m');
    let flakyCalls = 0;
    const options = testOptions({ topics: [topic], registry, retry: { initialDelayMs: 20 } });
    const listener = new FunctionListener(options, async (event) => {
      if (event.eventId === flaky.eventId && ++flakyCalls === 1) throw new Error('once');
    });
    // A second listener in the same process reuses the metrics instead of failing to register them again.
    const sibling = new FunctionListener(
      { ...options, groupId: `${options.groupId}-sibling` },
      async () => undefined,
    );
    expect(sibling.name).toBe('FunctionListener');
    await pool.start(listener);
    await produce(topic, [recordOf(ok), recordOf(ok), recordOf(flaky), { key: 'room-m', value: 'garbage' }]);
    await waitFor(
      'all four committed',
      async () => (await committedOffsets(options.groupId, topic))[0] === 4,
    );
    await listener.refreshLag();

    const text = await registry.metrics();
    const group = options.groupId;
    expect(sample(text, 'kafka_messages_processed_total', { group, topic, outcome: 'success' })).toBe(2);
    expect(sample(text, 'kafka_messages_processed_total', { group, topic, outcome: 'duplicate' })).toBe(1);
    expect(sample(text, 'kafka_messages_processed_total', { group, topic, outcome: 'dead_lettered' })).toBe(
      1,
    );
    expect(sample(text, 'kafka_message_processing_seconds_count', { group, topic })).toBe(4);
    expect(sample(text, 'kafka_message_processing_seconds_sum', { group, topic })).toBeGreaterThan(0);
    expect(sample(text, 'kafka_message_retries_total', { group, topic, mode: 'blocking' })).toBe(1);
    expect(sample(text, 'kafka_dlq_messages_total', { group, topic, reason: 'fatal' })).toBe(1);
    expect(sample(text, 'kafka_idempotent_hits_total', { group, store: 'redis' })).toBe(1);
    expect(sample(text, 'kafka_circuit_breaker_state', { group })).toBe(0);
    expect(sample(text, 'kafka_consumer_lag', { group, topic, partition: '0' })).toBe(0);
    expect(sample(text, 'kafka_consumer_paused', { group })).toBe(0);
    expect(text.match(/^# TYPE kafka_messages_processed_total counter$/gm)).toHaveLength(1);

    const health = listener.health();
    expect(health).toMatchObject({
      listener: 'FunctionListener',
      groupId: group,
      status: 'up',
      connected: true,
      paused: false,
      breaker: 'closed',
      lag: { total: 0 },
    });
    expect(Date.parse(health.lastSuccessAt!)).toBeGreaterThan(Date.now() - 60_000);
  });
});
