import { randomUUID } from 'node:crypto';
import { type Consumer, type Kafka, Partitioners, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { caughtUp, endOffsets } from '../kafka/catch-up.js';
import { ensureTopics } from '../kafka/topics.js';
import type { ProcessedStore } from './store.js';

export interface KafkaProcessedLogOptions {
  kafka: Kafka;
  /** Usually `groupTopics.processed(groupId)`. */
  topic: string;
  /** How long a key is remembered; also the topic's retention. */
  ttlMs: number;
  /** Partitions when the topic is created here. */
  partitions: number;
  /** Create the topic when missing. */
  createTopic: boolean;
  /** How long `start` may take to read the log up to its end. */
  loadTimeoutMs: number;
  logger: Logger;
}

/**
 * Durable idempotency store on a compacted Kafka topic: every applied key is
 * a record (acks=all) keyed by itself, compaction keeps one per key and
 * retention drops them after the TTL. Each instance reads the whole log into
 * memory at start and keeps tailing it, so lookups are local and still answer
 * while Redis is down. Memory is bounded by the keys applied within one TTL.
 */
export class KafkaProcessedLog implements ProcessedStore {
  private readonly seen = new Map<string, number>();
  private readonly producer: Producer;
  private readonly consumer: Consumer;
  private pruneTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: KafkaProcessedLogOptions) {
    this.producer = options.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    // A throwaway group: every instance reads every key, and never commits.
    // A short fetch wait keeps `stop()` prompt: disconnecting waits for the fetch under way.
    this.consumer = options.kafka.consumer({
      groupId: `${options.topic}.reader.${randomUUID()}`,
      maxWaitTimeInMs: 1_000,
    });
  }

  async start(): Promise<void> {
    const ends = await this.prepareTopic();
    await this.producer.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
    const loaded = caughtUp(this.consumer, ends, this.options.loadTimeoutMs, this.options.topic);
    await this.consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          if (message.key) this.remember(message.key.toString('utf8'), Number(message.timestamp));
        }
      },
    });
    await loaded;
    this.pruneTimer = setInterval(() => this.prune(), Math.min(this.options.ttlMs, 60_000)).unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.pruneTimer);
    await Promise.allSettled([this.consumer.disconnect(), this.producer.disconnect()]);
  }

  async has(key: string): Promise<boolean> {
    const at = this.seen.get(key);
    return at !== undefined && Date.now() - at < this.options.ttlMs;
  }

  async add(key: string): Promise<void> {
    const now = Date.now();
    await this.producer.send({
      topic: this.options.topic,
      acks: -1,
      messages: [{ key, value: String(now), timestamp: String(now) }],
    });
    this.remember(key, now);
  }

  private remember(key: string, at: number): void {
    const known = this.seen.get(key);
    if (known === undefined || known < at) this.seen.set(key, at);
  }

  private prune(): void {
    const oldest = Date.now() - this.options.ttlMs;
    for (const [key, at] of this.seen) if (at < oldest) this.seen.delete(key);
  }

  /** Creates the topic if asked and returns where each partition ends now: the point `start` must read up to. */
  private async prepareTopic(): Promise<Map<number, number>> {
    const admin = this.options.kafka.admin();
    await admin.connect();
    try {
      if (this.options.createTopic) {
        await ensureTopics(admin, [
          {
            name: this.options.topic,
            partitions: this.options.partitions,
            config: { 'cleanup.policy': 'compact,delete', 'retention.ms': String(this.options.ttlMs) },
          },
        ]);
      }
      return await endOffsets(admin, this.options.topic);
    } finally {
      await admin.disconnect();
    }
  }
}
