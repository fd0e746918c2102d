import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { endpointsFromEnv } from '@chat/runtime';
import { uniqueName } from '@chat/testkit';

const redis = new Redis(endpointsFromEnv().redisUrl);

describe('ioredis against the real Redis', () => {
  afterAll(() => redis.quit());

  it('SET NX with a TTL reserves a key once', async () => {
    const key = uniqueName('smoke:idem');
    expect(await redis.set(key, 'first', 'EX', 60, 'NX')).toBe('OK');
    expect(await redis.set(key, 'second', 'EX', 60, 'NX')).toBeNull();
    expect(await redis.get(key)).toBe('first');
    const ttl = await redis.ttl(key);
    expect(ttl).toBeGreaterThan(50);
    expect(ttl).toBeLessThanOrEqual(60);
  });

  it('keeps a bounded recent list with push and trim', async () => {
    const key = uniqueName('smoke:recent');
    for (let index = 0; index < 30; index += 1) {
      await redis.multi().rpush(key, `m-${index}`).ltrim(key, -10, -1).exec();
    }
    expect(await redis.lrange(key, 0, -1)).toEqual(
      Array.from({ length: 10 }, (_, index) => `m-${index + 20}`),
    );
  });
});
