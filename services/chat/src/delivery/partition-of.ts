/**
 * The partition KafkaJS's default (Java-compatible) partitioner picks for a
 * key: murmur2 of the key's UTF-8 bytes, made positive, modulo the count.
 * The gateway needs it to know which partition's window start covers a room
 * that has had no message since the window began.
 */
export function partitionOf(key: string, partitions: number): number {
  return (murmur2(Buffer.from(key, 'utf8')) & 0x7fffffff) % partitions;
}

const SEED = 0x9747b28c;
const M = 0x5bd1e995;
const R = 24;

export function murmur2(data: Buffer): number {
  const length = data.length;
  let h = SEED ^ length;
  const blocks = length >> 2;
  for (let i = 0; i < blocks; i++) {
    const o = i * 4;
    let k =
      (data[o]! & 0xff) |
      ((data[o + 1]! & 0xff) << 8) |
      ((data[o + 2]! & 0xff) << 16) |
      ((data[o + 3]! & 0xff) << 24);
    k = Math.imul(k, M);
    k ^= k >>> R;
    k = Math.imul(k, M);
    h = Math.imul(h, M);
    h ^= k;
  }
  const tail = blocks * 4;
  const rest = length & 3;
  if (rest === 3) h ^= (data[tail + 2]! & 0xff) << 16;
  if (rest >= 2) h ^= (data[tail + 1]! & 0xff) << 8;
  if (rest >= 1) {
    h ^= data[tail]! & 0xff;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}
