import { MongoClient } from 'mongodb';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { startPrivateMongo, startPrivateRedis } from '../src/private-servers.js';

describe('private servers for fault tests', () => {
  it('runs a MongoDB-wire server that keeps its data across stop and start', async () => {
    const server = await startPrivateMongo();
    try {
      const client = new MongoClient(server.url, { serverSelectionTimeoutMS: 5000 });
      await client
        .db()
        .collection('things')
        .insertOne({ _id: 'kept' } as never);
      await client.close();
      await server.stop();
      await server.start();
      const again = new MongoClient(server.url, { serverSelectionTimeoutMS: 5000 });
      expect(await again.db().collection('things').countDocuments()).toBe(1);
      await again.close();
    } finally {
      await server.dispose();
    }
  });

  it('runs a Redis that keeps its data across stop and start', async () => {
    const server = await startPrivateRedis();
    try {
      const client = new Redis(server.url);
      await client.set('kept', '1');
      client.disconnect();
      await server.stop();
      await server.start();
      const again = new Redis(server.url);
      expect(await again.get('kept')).toBe('1');
      again.disconnect();
    } finally {
      await server.dispose();
    }
  });
});
