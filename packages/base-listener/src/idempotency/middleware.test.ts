import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { fakeDelivery } from '../../test/support/delivery.js';
import { ListenerEvents } from '../listener/events.js';
import { IdempotencyGuard } from './guard.js';
import { idempotency } from './middleware.js';
import type { RedisFastPath } from './redis-fast-path.js';
import type { ProcessedStore } from './store.js';

/** The durable store as a set: the logic under test is the guard's and the middleware's, not a database's. */
function memoryStore(): ProcessedStore & { keys: Set<string> } {
  const keys = new Set<string>();
  return {
    keys,
    start: async () => undefined,
    stop: async () => undefined,
    has: async (key) => keys.has(key),
    add: async (key) => void keys.add(key),
  };
}

const downRedis = {
  reserve: () => Promise.reject(new Error('redis down')),
  markDone: () => Promise.reject(new Error('redis down')),
  release: () => Promise.reject(new Error('redis down')),
} as unknown as RedisFastPath;

/** Redis's reservations as a map: reserved while an attempt runs, done once its effect is recorded. */
function memoryFastPath(): RedisFastPath {
  const states = new Map<string, string>();
  return {
    reserve: async (key: string) => {
      const state = states.get(key);
      if (state === 'done') return { state: 'done' };
      if (state) return { state: 'busy' };
      states.set(key, 'token');
      return { state: 'reserved', token: 'token' };
    },
    markDone: async (key: string) => void states.set(key, 'done'),
    release: async (key: string, token: string) => {
      if (states.get(key) === token) states.delete(key);
    },
  } as unknown as RedisFastPath;
}

function setUp(fast?: RedisFastPath) {
  const store = memoryStore();
  const events = new ListenerEvents();
  const hits: string[] = [];
  const fallbacks: string[] = [];
  events.on('idempotentHit', ({ key, store: where }) => hits.push(`${key}:${where}`));
  events.on('idempotencyFallback', ({ operation }) => fallbacks.push(operation));
  const guard = new IdempotencyGuard(fast, store, events, pino({ level: 'silent' }));
  let applied = 0;
  let failNext = false;
  const handler = idempotency(
    guard,
    events,
  )(async () => {
    if (failNext) {
      failNext = false;
      throw new Error('downstream failed');
    }
    applied += 1;
    return 'success';
  });
  return {
    store,
    hits,
    fallbacks,
    handler,
    applied: () => applied,
    failOnce: () => (failNext = true),
  };
}

describe('idempotency middleware', () => {
  it('applies a key once and answers a redelivery as a duplicate without running the handler', async () => {
    const { handler, applied, hits, store } = setUp();
    const delivery = fakeDelivery();
    const key = delivery.event!.idempotencyKey;
    await expect(handler(delivery)).resolves.toBe('success');
    await expect(handler(fakeDelivery({ event: delivery.event }))).resolves.toBe('duplicate');
    expect(applied()).toBe(1);
    expect(hits).toEqual([`${key}:durable`]);
    expect([...store.keys]).toEqual([key]);
  });

  it('records nothing for a failed attempt, so its retry applies the effect', async () => {
    const { handler, applied, failOnce, store } = setUp();
    const delivery = fakeDelivery();
    failOnce();
    await expect(handler(delivery)).rejects.toThrow('downstream failed');
    expect(store.keys.size).toBe(0);
    await expect(handler(delivery)).resolves.toBe('success');
    expect(applied()).toBe(1);
  });

  it('releases the Redis reservation of a failed attempt, so its retry is not refused as busy', async () => {
    const { handler, applied, failOnce, hits } = setUp(memoryFastPath());
    const delivery = fakeDelivery();
    failOnce();
    await expect(handler(delivery)).rejects.toThrow('downstream failed');
    await expect(handler(delivery)).resolves.toBe('success');
    await expect(handler(delivery)).resolves.toBe('duplicate');
    expect(applied()).toBe(1);
    expect(hits).toEqual([`${delivery.event!.idempotencyKey}:redis`]);
  });

  it('falls back to the durable store when Redis fails, and still applies once', async () => {
    const { handler, applied, fallbacks } = setUp(downRedis);
    const delivery = fakeDelivery();
    await expect(handler(delivery)).resolves.toBe('success');
    await expect(handler(delivery)).resolves.toBe('duplicate');
    expect(applied()).toBe(1);
    expect(fallbacks).toEqual(['claim', 'complete', 'claim']);
  });
});
