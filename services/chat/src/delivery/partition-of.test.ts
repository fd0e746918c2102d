import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { murmur2, partitionOf } from './partition-of.js';

const require = createRequire(import.meta.url);

describe('partitionOf', () => {
  it('matches the KafkaJS default partitioner', () => {
    const kafkaMurmur = require('kafkajs/src/producer/partitioners/default/murmur2.js') as (
      key: Buffer,
    ) => number;
    for (const key of ['room-1', 'a', 'ab', 'abc', 'abcd', 'élan', 'room-xyz-123456']) {
      expect(murmur2(Buffer.from(key))).toBe(kafkaMurmur(Buffer.from(key)));
      expect(partitionOf(key, 6)).toBe((kafkaMurmur(Buffer.from(key)) & 0x7fffffff) % 6);
    }
  });
});
