import { endpointsFromEnv } from '@chat/runtime';
import { uniqueName } from '@chat/testkit';
import { chatMessage } from '@chat/testkit/events';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RecentCache, recentKey, type CacheWrite } from '@chat/recent-cache';

describe('the recent cache, written in pipelines', () => {
  const redis = new Redis(endpointsFromEnv().redisUrl, { maxRetriesPerRequest: 1 });
  const cache = new RecentCache(redis, 5);
  afterAll(() => redis.quit());

  it('applies a batch in order: repeats and stale positions change nothing, edits land, the list keeps its length', async () => {
    const roomId = uniqueName('room');
    const [one, two, three] = [1, 2, 3].map((position) => chatMessage(position, roomId));
    const edit: CacheWrite = {
      kind: 'update',
      update: {
        roomId,
        messageId: two!.messageId,
        position: 8,
        change: 'edited',
        text: 'fixed',
        at: new Date(1).toISOString(),
      },
      changeKey: 'change:e1',
    };
    await cache.write([
      { kind: 'append', message: one! },
      { kind: 'append', message: two! },
      // A redelivery of the first record and a re-published copy of the second under a later position.
      { kind: 'append', message: one! },
      { kind: 'append', message: { ...two!, position: 7 } },
      { kind: 'append', message: three! },
      edit,
      ...[4, 5, 6].map((position) => ({ kind: 'append' as const, message: chatMessage(position, roomId) })),
    ]);
    const cached = await cache.read(roomId);
    expect(cached.map((message) => message.position)).toEqual([2, 3, 4, 5, 6]);
    expect(cached[0]).toMatchObject({ text: 'fixed', revision: 8 });
    // The same batch again (a run read twice after a crash) changes nothing.
    const before = await redis.lrange(recentKey(roomId), 0, -1);
    await cache.write([{ kind: 'append', message: three! }, edit]);
    expect(await redis.lrange(recentKey(roomId), 0, -1)).toEqual(before);
  });

  it('fails the whole write when Redis refuses a command of it', async () => {
    const roomId = uniqueName('room');
    // A list key holding a string: the append script's LINDEX fails on it.
    await redis.set(recentKey(roomId), 'not a list');
    await expect(cache.write([{ kind: 'append', message: chatMessage(1, roomId) }])).rejects.toThrow(
      /WRONGTYPE/,
    );
    await redis.del(recentKey(roomId));
  });
});
