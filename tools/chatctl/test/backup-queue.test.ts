import { endpointsFromEnv } from '@chat/runtime';
import { uniqueName } from '@chat/testkit';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { messageSent } from '@chat/testkit/events';
import { chatctl, chatctlJson } from './support/cli.js';
import { consume, createTopic } from './support/kafka.js';

const redis = new Redis(endpointsFromEnv().redisUrl);
const keys: string[] = [];
afterAll(async () => {
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

const key = () => {
  const name = uniqueName('chatctl:backup');
  keys.push(name);
  return name;
};

describe('chatctl backup-queue', () => {
  it('counts the items waiting under the key, whether the queue is a list, a sorted set or absent', async () => {
    const list = key();
    await redis.rpush(list, 'a', 'b', 'c');
    expect(await chatctlJson('backup-queue', 'depth', '--key', list)).toEqual({
      key: list,
      type: 'list',
      depth: 3,
    });
    const zset = key();
    await redis.zadd(zset, 1, 'a', 2, 'b');
    expect(await chatctlJson('backup-queue', 'depth', '--key', zset)).toMatchObject({ depth: 2 });
    const absent = key();
    expect(await chatctlJson('backup-queue', 'depth', '--key', absent)).toMatchObject({
      type: 'none',
      depth: 0,
    });
  });

  it('refuses a key that holds something other than a queue', async () => {
    const hash = key();
    await redis.hset(hash, 'field', 'value');
    expect(await chatctl('backup-queue', 'depth', '--key', hash)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('is a Redis hash'),
    });
  });

  it('drains the queue to Kafka in order under the gateway lock, dropping and counting unreadable items', async () => {
    const queue = key();
    const topic = await createTopic('chatctl-backup');
    const first = messageSent('room-q');
    const second = messageSent('room-q');
    await redis.rpush(queue, JSON.stringify(first), '{broken', JSON.stringify(second));

    const report = await chatctlJson(
      'backup-queue',
      'drain',
      '--key',
      queue,
      '--topic',
      topic,
      '--batch',
      '2',
    );
    expect(report).toEqual({ key: queue, published: 2, unreadable: 1, left: 0 });
    const records = await consume(topic, 2);
    expect(records.map((record) => JSON.parse(record.value).eventId)).toEqual([
      first.eventId,
      second.eventId,
    ]);
    expect(await redis.exists(queue, `${queue}:lock`)).toBe(0);
  });

  it('leaves the queue to a gateway instance that holds the drain lock', async () => {
    const queue = key();
    keys.push(`${queue}:lock`);
    await redis.rpush(queue, JSON.stringify(messageSent('room-l')));
    await redis.set(`${queue}:lock`, 'gateway-1', 'PX', 60_000);
    expect(await chatctl('backup-queue', 'drain', '--key', queue)).toMatchObject({
      code: 5,
      stderr: expect.stringContaining('is held'),
    });
    expect(await redis.llen(queue)).toBe(1);
  });
});
