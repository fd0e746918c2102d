import type { Consumer, Producer } from 'kafkajs';
import type { OutboundRecord } from '@chat/base-listener';
import type { CommitPoint } from '../buffer/write-buffer.js';

/**
 * Commits a flush. Dead letters and the offsets that pass them go in one
 * Kafka transaction, so a crash can neither lose a dead letter nor write it
 * twice; a flush without dead letters commits through the consumer, which
 * the broker fences by group generation after a rebalance.
 */
export class FlushCommitter {
  constructor(
    private readonly consumer: Consumer,
    private readonly producer: Producer,
    private readonly groupId: string,
  ) {}

  async commit(points: CommitPoint[], deadLetters: OutboundRecord[]): Promise<void> {
    if (points.length === 0) return;
    if (deadLetters.length === 0) {
      await this.consumer.commitOffsets(points);
      return;
    }
    const transaction = await this.producer.transaction();
    try {
      for (const record of deadLetters) {
        await transaction.send({
          topic: record.topic,
          acks: -1,
          messages: [{ key: record.key, value: record.value, headers: record.headers }],
        });
      }
      await transaction.sendOffsets({
        consumerGroupId: this.groupId,
        topics: groupByTopic(points),
      });
      await transaction.commit();
    } catch (error) {
      await transaction.abort().catch(() => undefined);
      throw error;
    }
  }
}

function groupByTopic(points: CommitPoint[]) {
  const topics = new Map<string, { partition: number; offset: string }[]>();
  for (const { topic, partition, offset } of points)
    topics.set(topic, [...(topics.get(topic) ?? []), { partition, offset }]);
  return [...topics].map(([topic, partitions]) => ({ topic, partitions }));
}
