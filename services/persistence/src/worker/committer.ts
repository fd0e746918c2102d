import type { Consumer, Producer } from 'kafkajs';
import type { OutboundRecord } from '@chat/base-listener';
import type { CommitPoint } from '../buffer/write-buffer.js';

/** A dead letter with the partition its record was read from. */
export interface SourcedDeadLetter {
  source: { topic: string; partition: number };
  record: OutboundRecord;
}

const keyOf = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/**
 * Commits written flushes. Dead letters and the offsets that pass them go
 * in one Kafka transaction, so a crash can neither lose a dead letter nor
 * write it twice; without dead letters the consumer commits, which the
 * broker fences by group generation after a rebalance.
 *
 * A flush is staged before its commit and stays staged until a commit
 * succeeds: when one commit fails, the next carries its dead letters, so a
 * later flush's offsets can never pass dead letters that were not produced.
 */
export class FlushCommitter {
  private readonly points = new Map<string, CommitPoint>();
  private deadLetters: SourcedDeadLetter[] = [];

  constructor(
    private readonly consumer: Consumer,
    private readonly producer: Producer,
    private readonly groupId: string,
  ) {}

  /** Adds a written flush: its offsets (one past the highest, per partition) and its dead letters. */
  stage(points: CommitPoint[], deadLetters: SourcedDeadLetter[]): void {
    for (const point of points) {
      const key = keyOf(point.topic, point.partition);
      const current = this.points.get(key);
      if (!current || BigInt(point.offset) > BigInt(current.offset)) this.points.set(key, point);
    }
    this.deadLetters.push(...deadLetters);
  }

  /** Commits everything staged; on failure it stays staged for the next attempt. */
  async commitStaged(): Promise<void> {
    const points = [...this.points.values()];
    const deadLetters = this.deadLetters;
    if (points.length === 0) return;
    if (deadLetters.length === 0) await this.consumer.commitOffsets(points);
    else await this.commitWithDeadLetters(points, deadLetters);
    for (const point of points) {
      const key = keyOf(point.topic, point.partition);
      if (this.points.get(key) === point) this.points.delete(key);
    }
    this.deadLetters = this.deadLetters.filter((letter) => !deadLetters.includes(letter));
  }

  /** Drops what was staged for partitions now owned elsewhere: their new owner reads those records again. */
  forgetPartitions(owned: (topic: string, partition: number) => boolean): void {
    for (const [key, point] of this.points) if (!owned(point.topic, point.partition)) this.points.delete(key);
    this.deadLetters = this.deadLetters.filter(({ source }) => owned(source.topic, source.partition));
  }

  private async commitWithDeadLetters(points: CommitPoint[], deadLetters: SourcedDeadLetter[]) {
    const transaction = await this.producer.transaction();
    try {
      for (const { record } of deadLetters) {
        await transaction.send({
          topic: record.topic,
          acks: -1,
          messages: [{ key: record.key, value: record.value, headers: record.headers }],
        });
      }
      await transaction.sendOffsets({ consumerGroupId: this.groupId, topics: groupByTopic(points) });
      await transaction.commit();
    } catch (error) {
      await transaction.abort().catch(() => undefined);
      throw error;
    }
  }
}

function groupByTopic(points: CommitPoint[]) {
  const topics = new Map<string, { partition: number; offset: string }[]>();
  for (const { topic, partition, offset } of points) {
    const partitions = topics.get(topic);
    if (partitions) partitions.push({ partition, offset });
    else topics.set(topic, [{ partition, offset }]);
  }
  return [...topics].map(([topic, partitions]) => ({ topic, partitions }));
}
