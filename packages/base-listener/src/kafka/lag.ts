import type { Admin } from 'kafkajs';

export interface PartitionLag {
  topic: string;
  partition: number;
  /** Last stable offset: the end a read-committed consumer can reach. */
  logEnd: number;
  /** Next offset the group will read; -1 when it never committed. */
  committed: number;
  lag: number;
}

/**
 * Consumer lag per partition: log end minus committed offset. A partition the
 * group never committed counts from its earliest retained offset.
 */
export async function readLag(
  admin: Admin,
  groupId: string,
  topics: readonly string[],
): Promise<PartitionLag[]> {
  const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
  const lags: PartitionLag[] = [];
  for (const { topic, partitions } of committed) {
    const ends = await admin.fetchTopicOffsets(topic);
    for (const end of ends) {
      const offset = Number(partitions.find((entry) => entry.partition === end.partition)?.offset ?? -1);
      const logEnd = Number(end.offset);
      const from = offset >= 0 ? offset : Number(end.low);
      lags.push({
        topic,
        partition: end.partition,
        logEnd,
        committed: offset,
        lag: Math.max(0, logEnd - from),
      });
    }
  }
  return lags;
}
