import { ConfigError } from '@chat/runtime';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { type ListenerOptions, resolveListenerOptions } from './listener-options.js';

describe('resolveListenerOptions', () => {
  it('fills a documented default for every field', () => {
    const resolved = resolveListenerOptions(
      { groupId: 'persistence', topics: ['chat.messages.v1'] },
      'Persister',
    );
    expect(resolved).toMatchObject({
      name: 'Persister',
      clientId: 'Persister',
      concurrency: 3,
      fromBeginning: true,
      createTopics: true,
      retry: {
        mode: 'blocking',
        maxAttempts: 5,
        initialDelayMs: 200,
        multiplier: 2,
        maxDelayMs: 30_000,
        jitter: 0.2,
      },
      idempotency: { enabled: true, ttlSeconds: 86_400, reservationMs: 60_000 },
      breaker: { enabled: true, errorThresholdPercentage: 50, volumeThreshold: 5, resetTimeoutMs: 30_000 },
      commitIntervalMs: 1_000,
      fetch: { minBytes: 1, maxWaitMs: 1_000 },
      shutdownTimeoutMs: 30_000,
    });
    expect(resolved.brokers.length).toBeGreaterThan(0);
    expect(resolved.transactionalId).toMatch(/^persistence\./);
    expect(resolved.idempotency.redis).toMatch(/^redis:/);
  });

  it('keeps injected objects as they are', () => {
    const logger = pino({ level: 'silent' });
    const registry = new Registry();
    const resolved = resolveListenerOptions({ groupId: 'g', topics: ['t'], logger, registry }, 'L');
    expect(resolved.logger).toBe(logger);
    expect(resolved.registry).toBe(registry);
  });

  it('fails fast naming every problem', () => {
    const attempt = () =>
      resolveListenerOptions(
        {
          groupId: 'bad group',
          topics: [],
          retry: { mode: 'sometimes' as never, jitter: 1 },
          unknownOption: true,
        } as never,
        'L',
      );
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/groupId/);
      expect(problems).toMatch(/topics/);
      expect(problems).toMatch(/retry.mode/);
      expect(problems).toMatch(/retry.jitter/);
      expect(problems).toMatch(/unknownOption/);
    }
  });

  it('makes a listener typed for some event types name them', () => {
    expectTypeOf<{ groupId: string; topics: string[] }>().toExtend<ListenerOptions>();
    expectTypeOf<{ groupId: string; topics: string[] }>().not.toExtend<
      ListenerOptions<'chat.message.sent'>
    >();
    expectTypeOf<{
      groupId: string;
      topics: string[];
      eventTypes: 'chat.message.sent'[];
    }>().toExtend<ListenerOptions<'chat.message.sent'>>();
  });
});
