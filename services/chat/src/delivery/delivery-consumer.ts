import { CONSUMER_CLIENT_RETRY, createKafka, deleteInstanceGroup } from '@chat/base-listener';
import type { Logger } from '@chat/runtime';
import type { Admin, Consumer, Kafka } from 'kafkajs';
import type { EventDecoder } from '../decoding/published-events.js';
import type { DeliveryLease, LiveDelivery } from './live-delivery.js';
import {
  DeliveryRecords,
  RECORD_OUTCOMES,
  type DeliverySink,
  type RecordOutcome,
} from './delivery-records.js';
import type { RoomWindows } from './room-windows.js';
import { DELIVERY_SESSION_TIMEOUT_MS, connectDeliveryConsumer } from './delivery-kafka-consumer.js';
import { setStartOffsets } from './start-offsets.js';

export interface DeliveryConsumerOptions {
  brokers: string[];
  groupId: string;
  messagesTopic: string;
  receiptsTopic: string;
  warmUpMs: number;
  logger: Logger;
  /** KafkaJS stopped the consumer for good: this instance delivers nothing more until it is restarted. */
  onDead: (reason: string) => void;
  /** Whether a socket of this instance is in the room's live stream: only those rooms' records are decoded on arrival. */
  hasLocalSockets: (roomId: string) => boolean;
  /** How the records of those rooms are read. */
  decode: EventDecoder;
  /** `count` records of `topic` had `outcome`, once per fetched batch and outcome. */
  onRecords: (topic: string, outcome: RecordOutcome, count: number) => void;
}

/**
 * This instance's own reader of the messages and receipts topics: Kafka is
 * the fan-out. It starts `warmUpMs` back (its group's offsets are set by
 * timestamp before it joins), keeps every message in the room windows and
 * hands new ones to the sink, in partition order, so receivers only ever
 * see durable, ordered messages — with Redis up or down. Records of rooms
 * with no socket here are only held, undecoded (`DeliveryRecords`).
 */
export class DeliveryConsumer implements LiveDelivery {
  private readonly kafka: Kafka;
  private readonly records: DeliveryRecords;
  private admin: Admin | undefined;
  private consumer: Consumer | undefined;
  private connected = false;
  /** Next offset to read per messages partition: how far this instance has seen. */
  private readonly consumedTo = new Map<number, number>();
  private readonly ends = new Map<number, number>();
  /** The messages topic's end per partition when this instance started: reading up to it fills the warm-up window. */
  private readonly warmUpEnds = new Map<number, number>();
  private warm = false;

  constructor(
    private readonly options: DeliveryConsumerOptions,
    private readonly windows: RoomWindows,
    sink: DeliverySink,
  ) {
    this.kafka = createKafka({
      brokers: options.brokers,
      clientId: options.groupId,
      logger: options.logger,
      retry: CONSUMER_CLIENT_RETRY,
    });
    this.records = new DeliveryRecords({
      windows,
      sink,
      hasLocalSockets: options.hasLocalSockets,
      decode: options.decode,
      logger: options.logger,
    });
  }

  get isConnected(): boolean {
    return this.connected;
  }

  /**
   * True once this consumer has read every message that existed when it
   * started (its warm-up window); stays true. Until then the memory window
   * is still filling and live delivery lags, so the instance is not ready.
   */
  get warmedUp(): boolean {
    if (this.warm) return true;
    if (this.warmUpEnds.size === 0) return false;
    for (const [partition, end] of this.warmUpEnds)
      if ((this.consumedTo.get(partition) ?? 0) < end) return false;
    this.warm = true;
    return true;
  }

  async start(): Promise<void> {
    const { messagesTopic, receiptsTopic, groupId, warmUpMs, logger } = this.options;
    const admin = this.kafka.admin();
    await admin.connect();
    this.admin = admin;
    const since = Date.now() - warmUpMs;
    const starts = new Map<number, number>();
    let partitions = 0;
    for (const topic of [messagesTopic, receiptsTopic]) {
      const offsets = await admin.fetchTopicOffsetsByTimestamp(topic, since);
      const highs = await admin.fetchTopicOffsets(topic);
      const resolved = offsets.map(({ partition, offset }) => {
        const high = highs.find((entry) => entry.partition === partition)!;
        const value = Number(offset) >= 0 ? offset : high.offset;
        return { partition, offset: value };
      });
      await setStartOffsets(admin, { groupId, topic, partitions: resolved }, 2 * DELIVERY_SESSION_TIMEOUT_MS);
      if (topic === messagesTopic) {
        partitions = resolved.length;
        for (const { partition, offset } of resolved) {
          starts.set(partition, Number(offset));
          this.consumedTo.set(partition, Number(offset));
        }
        for (const high of highs) {
          this.ends.set(high.partition, Number(high.high));
          this.warmUpEnds.set(high.partition, Number(high.high));
        }
      }
    }
    this.windows.setPartitionStarts(starts, partitions);

    const consumer = await connectDeliveryConsumer(this.kafka, {
      groupId,
      topics: [messagesTopic, receiptsTopic],
      logger,
      role: 'delivery consumer',
      onDead: this.options.onDead,
      onConnected: (connected) => (this.connected = connected),
    });
    this.consumer = consumer;
    await consumer.run({
      // KafkaJS's auto-commit commits after every batch, whatever its interval (a Kafka request per batch of a
      // record or two); this group's offsets only matter to a rejoin of this instance, so every 5 s is enough.
      autoCommit: false,
      autoCommitInterval: 5_000,
      partitionsConsumedConcurrently: 1,
      eachBatch: async ({ batch, commitOffsetsIfNecessary }) => {
        // The batches before this one are resolved (KafkaJS resolves each as it ends): committed when 5 s have passed.
        await commitOffsetsIfNecessary();
        const isMessages = batch.topic === messagesTopic;
        const source = {
          topic: batch.topic,
          kind: isMessages ? ('messages' as const) : ('receipts' as const),
          partition: batch.partition,
          groupId,
        };
        const counts = { decoded: 0, held: 0, skipped: 0 };
        for (const record of batch.messages) {
          counts[this.records.handle(source, record)] += 1;
          if (isMessages) this.consumedTo.set(batch.partition, Number(record.offset) + 1);
        }
        if (isMessages) this.ends.set(batch.partition, Number(batch.highWatermark));
        for (const outcome of RECORD_OUTCOMES)
          if (counts[outcome] > 0) this.options.onRecords(batch.topic, outcome, counts[outcome]);
      },
    });
  }

  /** Every room's records are read here: there is nothing to open. */
  open(): Promise<DeliveryLease> {
    return Promise.resolve(() => undefined);
  }

  /** Records behind the newest known end of the messages topic: readiness and tests use it. */
  lag(): number {
    let lag = 0;
    for (const [partition, end] of this.ends)
      lag += Math.max(0, end - (this.consumedTo.get(partition) ?? end));
    return lag;
  }

  /** Leaves and deletes this instance's group: the next start sets its offsets afresh anyway. */
  async stop(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
    await this.admin?.disconnect().catch(() => undefined);
    if (this.consumer) await deleteInstanceGroup(this.kafka, this.options.groupId, this.options.logger);
    this.connected = false;
  }
}
