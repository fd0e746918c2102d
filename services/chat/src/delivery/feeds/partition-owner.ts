import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelay, type BackoffPolicy } from '@chat/backoff';
import { CONSUMER_CLIENT_RETRY, createKafka } from '@chat/base-listener';
import type { Logger } from '@chat/runtime';
import type { Redis } from 'ioredis';
import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { connectDeliveryConsumer } from '../delivery-kafka-consumer.js';
import { encodeFrame, feedChannel } from './feed-frame.js';
import { initialiseOwnersGroup } from './owners-group-birth.js';

/** Between attempts to publish a batch while Redis refuses. */
const PUBLISH_RETRY: BackoffPolicy = { initialDelayMs: 100, multiplier: 2, maxDelayMs: 2_000, jitter: 0.5 };
/** Rooms per partition whose last offset an owner remembers; a forgotten room's next frame names no predecessor. */
const ROOMS_REMEMBERED = 50_000;

export interface PartitionOwnerOptions {
  brokers: string[];
  /** The one group every owner joins: each partition is read by one of them. */
  groupId: string;
  messagesTopic: string;
  receiptsTopic: string;
  /** Publishes the feeds (SPUBLISH); while it fails, the batch is published again after a backoff. */
  redis: Redis;
  logger: Logger;
  /** KafkaJS stopped the consumer for good. */
  onDead: (reason: string) => void;
  /** `count` records of `topic` were published, once per batch. */
  onPublished: (topic: string, count: number) => void;
}

/**
 * Reads the partitions the owners' group gives it and publishes each record,
 * unparsed, to its room's feed (a sharded Redis channel): the platform's
 * one read of each record for delivery. A batch ends only once Redis has
 * taken all of its publishes, so the offsets committed after it were
 * published; a new owner starts there and what it publishes again is a
 * replay receivers drop. Each messages-topic frame names the room's previous
 * record this owner published, so a receiver can tell a lost one.
 */
export class PartitionOwner {
  private readonly kafka: Kafka;
  private consumer: Consumer | undefined;
  private connected = false;
  /** Per partition, the offset of each room's last published record; a partition's map starts empty each time it is assigned. */
  private readonly lastOfRoom = new Map<number, Map<string, number>>();
  private readonly behind = new Map<number, number>();

  constructor(private readonly options: PartitionOwnerOptions) {
    this.kafka = createKafka({
      brokers: options.brokers,
      clientId: options.groupId,
      logger: options.logger,
      retry: CONSUMER_CLIENT_RETRY,
    });
  }

  get isConnected(): boolean {
    return this.connected;
  }

  /** Records of the messages topic behind the newest known end of this owner's partitions. */
  lag(): number {
    let lag = 0;
    for (const behind of this.behind.values()) lag += behind;
    return lag;
  }

  async start(): Promise<void> {
    const { groupId, messagesTopic, receiptsTopic, logger } = this.options;
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await initialiseOwnersGroup(admin, groupId, [messagesTopic, receiptsTopic]);
    } finally {
      await admin.disconnect();
    }
    const consumer = await connectDeliveryConsumer(this.kafka, {
      fromBeginning: true,
      groupId,
      topics: [messagesTopic, receiptsTopic],
      logger,
      role: 'partition owner',
      onDead: this.options.onDead,
      onConnected: (connected) => {
        // Another owner may have published the partitions in between: what this one knew of their rooms is stale.
        if (connected) {
          this.lastOfRoom.clear();
          this.behind.clear();
        }
        this.connected = connected;
      },
    });
    this.consumer = consumer;
    await consumer.run({
      // Each partition's batches still run one at a time (its rooms' order); others' publishes overlap theirs.
      partitionsConsumedConcurrently: 4,
      // KafkaJS's auto-commit is a Kafka request after every batch, in line before the next one; committed once a
      // second instead, a new owner republishes up to a second of records, which receivers drop as replays.
      autoCommit: false,
      autoCommitInterval: 1_000,
      // Resolved only once published: a batch given up (the partition moved away) must not count as done.
      eachBatchAutoResolve: false,
      eachBatch: async ({
        batch,
        resolveOffset,
        heartbeat,
        isRunning,
        isStale,
        commitOffsetsIfNecessary,
      }) => {
        // The batches before this one are resolved: committed when a second has passed.
        await commitOffsetsIfNecessary();
        const isMessages = batch.topic === messagesTopic;
        let published: number;
        // Redis down: the batch waits here (heartbeating, so the partition stays), instead of the consumer
        // crashing through KafkaJS's retries; the next owner would only hit the same outage.
        for (let retry = 1; ; retry++) {
          try {
            published = await this.publish(isMessages, batch.partition, batch.messages);
            break;
          } catch (error) {
            if (retry === 1 || retry % 10 === 0)
              logger.warn(
                { err: (error as Error).message, partition: batch.partition, retry },
                'room feeds not published yet; retrying',
              );
            await sleep(backoffDelay(PUBLISH_RETRY, retry));
            if (!isRunning() || isStale()) return;
            await heartbeat();
          }
        }
        const last = batch.messages[batch.messages.length - 1];
        if (last) resolveOffset(last.offset);
        if (isMessages && last)
          this.behind.set(
            batch.partition,
            Math.max(0, Number(batch.highWatermark) - Number(last.offset) - 1),
          );
        if (published > 0) this.options.onPublished(batch.topic, published);
      },
    });
  }

  /** One pipeline per batch; the rooms' last offsets move only once every publish of it succeeded. */
  private async publish(isMessages: boolean, partition: number, records: KafkaMessage[]): Promise<number> {
    const known = this.lastOfRoom.get(partition) ?? new Map<string, number>();
    const moved = new Map<string, number>();
    const pipeline = this.options.redis.pipeline();
    let count = 0;
    for (const record of records) {
      const roomId = record.key?.toString();
      // The contracts key every room event by its room: a record without one has no feed.
      if (!roomId || !record.value) continue;
      const offset = Number(record.offset);
      const before = isMessages ? (moved.get(roomId) ?? known.get(roomId) ?? -1) : -1;
      if (isMessages) moved.set(roomId, offset);
      const traceparent = record.headers?.traceparent?.toString();
      const frame = encodeFrame({
        topic: isMessages ? 'messages' : 'receipts',
        partition,
        offset,
        before,
        ...(traceparent ? { traceparent } : {}),
        value: record.value,
      });
      pipeline.spublish(feedChannel(roomId), frame);
      count += 1;
    }
    if (count === 0) return 0;
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed) throw failed[0]!;
    for (const [roomId, offset] of moved) {
      // Re-inserted, so the map's order is the rooms' recency and the oldest goes first.
      known.delete(roomId);
      known.set(roomId, offset);
      if (known.size > ROOMS_REMEMBERED) known.delete(known.keys().next().value!);
    }
    this.lastOfRoom.set(partition, known);
    return count;
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
    this.connected = false;
  }
}
