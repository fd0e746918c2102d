import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mongoose, { type Connection } from 'mongoose';
import { endpointsFromEnv } from '@chat/runtime';
import { dropDatabase, testMongoUrl } from '@chat/testkit/mongo';
import { LockBusyError, createMutex } from '../src/index.js';

describe('the document mutex', () => {
  const mongoUrl = testMongoUrl(endpointsFromEnv().mongoUrl, 'room_store_test');
  let connections: Connection[];

  beforeAll(async () => {
    connections = await Promise.all([1, 2, 3, 4].map(() => mongoose.createConnection(mongoUrl).asPromise()));
  });

  afterAll(async () => {
    await Promise.all(connections.map((connection) => connection.close()));
    await dropDatabase(mongoUrl);
  });

  it('makes concurrent read-modify-write of one document lose nothing, even on FerretDB', async () => {
    const counters = connections[0]!.db!.collection<{ _id: string; n: number }>('counters');
    await counters.insertOne({ _id: 'c', n: 0 });
    await Promise.all(
      connections.map(async (connection) => {
        const mutex = createMutex(connection.db!, { waitMs: 30_000 });
        const own = connection.db!.collection<{ _id: string; n: number }>('counters');
        for (let index = 0; index < 25; index++) {
          await mutex.withLock('counter:c', async () => {
            const { n } = (await own.findOne({ _id: 'c' }))!;
            await own.updateOne({ _id: 'c' }, { $set: { n: n + 1 } });
          });
        }
      }),
    );
    expect((await counters.findOne({ _id: 'c' }))!.n).toBe(100);
  });

  it('gives up with a retryable CONFLICT while the lock is held, and takes over a lock whose holder died', async () => {
    const holder = createMutex(connections[0]!.db!, { ttlMs: 300 });
    const waiter = createMutex(connections[1]!.db!, { waitMs: 100 });
    let release!: () => void;
    const held = holder.withLock('room:busy', () => new Promise<void>((resolve) => (release = resolve)));
    await new Promise((resolve) => setTimeout(resolve, 20));

    const busy = await waiter.withLock('room:busy', async () => 'entered').catch((error: unknown) => error);
    expect(busy).toBeInstanceOf(LockBusyError);
    expect(busy).toMatchObject({ code: 'CONFLICT', retryable: true });

    // Past its ttl the lock counts as a dead process's, and the next caller takes it over.
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(await createMutex(connections[2]!.db!).withLock('room:busy', async () => 'entered')).toBe(
      'entered',
    );
    release();
    await held;
  });
});
