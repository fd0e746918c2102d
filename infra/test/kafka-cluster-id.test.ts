import { describe, expect, it } from 'vitest';
import { newKafkaClusterId } from '../src/servers/kafka-node.js';

describe('newKafkaClusterId', () => {
  it('gives ids the storage tool accepts: 22 base64url characters, never a leading "-"', () => {
    // One random id in 64 used to start with '-'; in 10,000 about 156 would.
    const ids = Array.from({ length: 10_000 }, newKafkaClusterId);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
