import { type Kafka, Partitioners, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { messageOf } from '../errors/errors.js';

export interface OutboundRecord {
  topic: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/** The consumed position to commit together with a forward: `offset` is the next offset to read. */
export interface SourceOffset {
  groupId: string;
  topic: string;
  partition: number;
  offset: string;
}

export interface Forwarder {
  forward(record: OutboundRecord, source: SourceOffset): Promise<void>;
}

/**
 * Moves a record to a retry or DLQ topic and commits its source offset in
 * one Kafka transaction: a crash in between aborts both, so the record is
 * neither lost nor forwarded twice (read-committed consumers never see the
 * aborted copy). A stable `transactionalId` also fences a zombie instance.
 */
export class TransactionalForwarder implements Forwarder {
  private readonly producer: Producer;
  /** A producer runs one transaction at a time; concurrent partitions queue here. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    kafka: Kafka,
    options: { transactionalId: string; transactionTimeoutMs: number },
    private readonly log: Logger,
    private readonly onProduced: (record: OutboundRecord, source: SourceOffset) => void,
  ) {
    this.producer = kafka.producer({
      transactionalId: options.transactionalId,
      transactionTimeout: options.transactionTimeoutMs,
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  forward(record: OutboundRecord, source: SourceOffset): Promise<void> {
    const run = this.queue.then(() => this.inTransaction(record, source));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async inTransaction(record: OutboundRecord, source: SourceOffset): Promise<void> {
    const transaction = await this.producer.transaction();
    try {
      await transaction.send({
        topic: record.topic,
        acks: -1,
        messages: [{ key: record.key, value: record.value, headers: record.headers }],
      });
      this.onProduced(record, source);
      await transaction.sendOffsets({
        consumerGroupId: source.groupId,
        topics: [
          { topic: source.topic, partitions: [{ partition: source.partition, offset: source.offset }] },
        ],
      });
      await transaction.commit();
    } catch (error) {
      await transaction.abort().catch((abortError: unknown) => {
        this.log.error({ err: messageOf(abortError) }, 'aborting the forward transaction failed');
      });
      throw error;
    }
  }
}
