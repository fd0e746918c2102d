import { hostname } from 'node:os';
import {
  Partitioners,
  type Admin,
  type Consumer,
  type EachBatchPayload,
  type Kafka,
  type Producer,
} from 'kafkajs';
import { backoffDelay } from '@chat/backoff';
import { TOPICS, groupTopics } from '@chat/contracts';
import {
  DownstreamBreaker,
  ListenerEvents,
  deadLetterOf,
  ensureTopics,
  fromKafkaMessage,
  onConsumerDeath,
  readLag,
  recordListenerMetrics,
} from '@chat/base-listener';
import type { Logger } from '@chat/runtime';
import { register } from 'prom-client';
import { WriteBuffer, commitPointsOf, type BufferedEntry } from '../buffer/write-buffer.js';
import type { ChatModels } from '@chat/message-store';
import type { BufferedItem } from './buffered-item.js';
import { classifyRecord } from './classify-record.js';
import { EventTraces, writeTargetOf } from './event-traces.js';
import { FlushCommitter, type SourcedDeadLetter } from './committer.js';
import { workerMetrics, type WorkerMetrics } from './metrics.js';
import { writeUntilResolved } from './write-until-resolved.js';

export type FlushTrigger = 'volume' | 'timer' | 'shutdown';

export interface PersistenceWorkerOptions {
  kafka: Kafka;
  models: ChatModels;
  logger: Logger;
  groupId: string;
  /** @defaultValue the messages and receipts topics */
  topics?: string[];
  flushMaxEvents: number;
  flushIntervalMs: number;
  bufferMaxEvents: number;
  retryInitialDelayMs: number;
  retryMaxDelayMs: number;
  /**
   * Largest fetch per partition. Memory stays below `bufferMaxEvents` plus
   * one fetch per assigned partition. @defaultValue 1 MiB
   */
  maxBytesPerPartition?: number;
  /** Kafka session timeout; tests shorten it. @defaultValue 30000 */
  sessionTimeoutMs?: number;
  /** Crash-test hook: called around the first write; see `PersistenceConfig.failpoint`. */
  failpoint?: (point: 'before-write' | 'after-write') => void;
}

export interface WorkerHealth {
  connected: boolean;
  paused: boolean;
  buffered: number;
  breaker: string;
  lastFlushAt?: string;
  lastError?: string;
}

/**
 * Turns the room-keyed message and receipt streams into MongoDB documents in
 * bulk. Records are buffered (offsets resolved so fetching moves on, never
 * committed), written in bulk when the buffer reaches `flushMaxEvents` or its
 * oldest record is `flushIntervalMs` old, and committed only once every
 * record before the commit point is written or dead-lettered. A full buffer
 * pauses consumption; MongoDB down keeps the buffer and retries.
 */
export class PersistenceWorker {
  readonly events = new ListenerEvents();
  private readonly buffer = new WriteBuffer<BufferedItem>();
  private readonly metrics: WorkerMetrics = workerMetrics();
  private readonly breaker: DownstreamBreaker;
  private readonly topics: string[];
  private readonly log: Logger;
  private readonly traces: EventTraces;
  private consumer?: Consumer;
  private producer?: Producer;
  private admin?: Admin;
  private committer?: FlushCommitter;
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private stopping = false;
  private readonly abort = new AbortController();
  private state: WorkerHealth = { connected: false, paused: false, buffered: 0, breaker: 'closed' };

  constructor(private readonly options: PersistenceWorkerOptions) {
    this.topics = options.topics ?? [TOPICS.messages, TOPICS.receipts];
    this.log = options.logger.child({ component: 'persistence-worker', groupId: options.groupId });
    this.traces = new EventTraces(options.groupId, writeTargetOf(options.models));
    this.breaker = new DownstreamBreaker(`${options.groupId}-mongodb`, {
      errorThresholdPercentage: 50,
      volumeThreshold: 3,
      resetTimeoutMs: Math.max(options.retryInitialDelayMs * 5, 1000),
      rollingCountTimeoutMs: 10_000,
    });
    this.breaker.onStateChange((state) => {
      this.state.breaker = state;
      this.events.emit('breaker', { state });
      this.log.warn({ breaker: state }, 'MongoDB breaker changed state');
    });
    recordListenerMetrics(this.events, register, {
      group: options.groupId,
      breaker: `${options.groupId}-mongodb`,
    });
  }

  async start(): Promise<void> {
    const { kafka, groupId } = this.options;
    this.admin = kafka.admin();
    this.producer = kafka.producer({
      transactionalId: `${groupId}.flush.${hostname()}.${process.pid}`,
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    const consumer = kafka.consumer({
      groupId,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      maxWaitTimeInMs: 500,
      maxBytesPerPartition: this.options.maxBytesPerPartition ?? 1024 * 1024,
    });
    this.consumer = consumer;
    this.committer = new FlushCommitter(consumer, this.producer, groupId);
    await Promise.all([this.admin.connect(), this.producer.connect(), consumer.connect()]);
    await this.ensureDeadLetterTopic();
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      const assigned = payload.memberAssignment as Record<string, number[]>;
      const owned = (topic: string, partition: number) => assigned[topic]?.includes(partition) ?? false;
      const dropped = this.buffer.dropPartitions(owned);
      this.committer?.forgetPartitions(owned);
      if (dropped > 0)
        this.log.info({ dropped }, 'dropped buffered records of partitions now owned elsewhere');
      this.setConnected(true, 'joined group');
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => this.setConnected(false, payload.error.message));
    onConsumerDeath(consumer, (reason) => this.events.emit('dead', { reason }));
    await consumer.subscribe({ topics: this.topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.take(payload),
    });
    this.timer = setInterval(() => this.onTick(), Math.max(10, Math.floor(this.options.flushIntervalMs / 2)));
    this.timer.unref();
    this.log.info({ topics: this.topics }, 'persistence worker started');
  }

  /** Stops fetching, writes and commits what is buffered, disconnects. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.stopping = true;
    // Pause rather than stop the consumer: only a member of the group can commit the last flushes.
    this.consumer?.pause(this.topics.map((topic) => ({ topic })));
    try {
      while (this.buffer.size > 0 || this.flushing) await this.flush('shutdown');
    } finally {
      await this.consumer?.stop();
      this.abort.abort();
      this.breaker.shutdown();
      await Promise.allSettled([
        this.consumer?.disconnect(),
        this.producer?.disconnect(),
        this.admin?.disconnect(),
      ]);
      this.setConnected(false, 'stopped');
    }
  }

  health(): WorkerHealth {
    return { ...this.state, buffered: this.buffer.size };
  }

  async refreshLag(): Promise<void> {
    if (!this.admin) return;
    this.events.emit('lag', { partitions: await readLag(this.admin, this.options.groupId, this.topics) });
  }

  private async take({
    batch,
    resolveOffset,
    heartbeat,
    isRunning,
    isStale,
  }: EachBatchPayload): Promise<void> {
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) break;
      const record = fromKafkaMessage(batch.topic, batch.partition, message);
      const item = classifyRecord(record);
      const added = this.buffer.add({
        topic: batch.topic,
        partition: batch.partition,
        offset: message.offset,
        item,
        receivedAt: Date.now(),
      });
      if (added) this.traces.receive(item);
      resolveOffset(message.offset);
    }
    this.metrics.bufferSize.set(this.buffer.size);
    if (this.buffer.size >= this.options.bufferMaxEvents) this.setPaused(true);
    if (this.buffer.size >= this.options.flushMaxEvents) void this.flush('volume');
    await heartbeat();
  }

  private onTick(): void {
    const age = this.buffer.oldestAge(Date.now());
    if (age !== undefined && age >= this.options.flushIntervalMs) void this.flush('timer');
  }

  /** One flush at a time; a trigger during a flush is served by the flush that follows it. */
  private flush(trigger: FlushTrigger): Promise<void> {
    this.flushing ??= this.flushOnce(trigger)
      .catch((error: unknown) => {
        this.traces.flushFailed(error);
        this.state.lastError = (error as Error).message;
        this.log.error(
          { err: (error as Error).message, trigger },
          'flush failed; its records stay uncommitted and will be read again',
        );
      })
      .finally(() => {
        this.flushing = undefined;
        // After failed flushes too: one whose commit failed may have emptied the buffer, and nothing else resumes it.
        if (this.state.paused && this.buffer.size < this.options.bufferMaxEvents) this.setPaused(false);
        if (this.buffer.size >= this.options.flushMaxEvents) void this.flush('volume');
      });
    return this.flushing;
  }

  private async flushOnce(trigger: FlushTrigger): Promise<void> {
    const entries = this.buffer.take(this.options.flushMaxEvents);
    if (entries.length === 0) return;
    const flushTrace = this.traces.flushStarted(
      entries.map(({ item }) => item),
      trigger,
    );
    const started = Date.now();
    this.options.failpoint?.('before-write');
    const resolution = await writeUntilResolved(
      entries.map((entry) => entry.item),
      {
        models: this.options.models,
        guard: (work) => this.breaker.run(work),
        delayOf: (retry) =>
          backoffDelay(
            {
              initialDelayMs: this.options.retryInitialDelayMs,
              maxDelayMs: this.options.retryMaxDelayMs,
              multiplier: 2,
              jitter: 0.2,
            },
            retry,
          ),
        signal: this.abort.signal,
        onRetry: (retry, pending, error) => {
          this.setPaused(true);
          this.metrics.documents.inc({ collection: 'all', outcome: 'retried' }, pending);
          this.log.warn(
            { retry, pending, err: String((error as Error)?.message ?? error) },
            'write failed; buffer kept, consumption paused, retrying',
          );
        },
      },
    );
    flushTrace.written(resolution.rejected);
    const writeMs = Date.now() - started;
    const deadLetters = this.deadLettersOf(entries, resolution.rejected);
    this.committer!.stage(commitPointsOf(entries), deadLetters);
    this.options.failpoint?.('after-write');
    await this.committer!.commitStaged();
    flushTrace.end();
    this.record(trigger, entries, resolution, deadLetters.length, {
      durationMs: Date.now() - started,
      writeMs,
    });
  }

  private deadLettersOf(
    entries: BufferedEntry<BufferedItem>[],
    rejected: { item: BufferedItem; error: Error }[],
  ): SourcedDeadLetter[] {
    const topic = groupTopics.deadLetter(this.options.groupId);
    const poison = entries.flatMap(({ item }) =>
      item.kind === 'poison' ? [{ item, error: item.error }] : [],
    );
    return [...poison, ...rejected].map(({ item, error }) => {
      const { record } = item;
      this.events.emit('deadLettered', {
        topic,
        partition: record.partition,
        offset: record.offset,
        sourceTopic: record.topic,
        reason: 'fatal',
        attempts: 1,
        errorClass: error.name,
      });
      return {
        source: { topic: record.topic, partition: record.partition },
        record: deadLetterOf(record, {
          topic,
          groupId: this.options.groupId,
          reason: 'fatal',
          attempts: 1,
          error,
        }),
      };
    });
  }

  private record(
    trigger: FlushTrigger,
    entries: BufferedEntry<BufferedItem>[],
    resolution: Awaited<ReturnType<typeof writeUntilResolved>>,
    deadLetterCount: number,
    { durationMs, writeMs }: { durationMs: number; writeMs: number },
  ): void {
    const now = Date.now();
    for (const { item } of entries) {
      if (item.kind !== 'poison')
        this.metrics.eventToPersisted.observe((now - Date.parse(item.event.occurredAt)) / 1000);
    }
    this.metrics.flushDuration.observe({ trigger }, durationMs / 1000);
    this.metrics.documents.inc({ collection: 'all', outcome: 'written' }, resolution.written);
    this.metrics.documents.inc({ collection: 'all', outcome: 'duplicate' }, resolution.duplicates);
    this.metrics.documents.inc({ collection: 'all', outcome: 'rejected' }, resolution.rejected.length);
    this.metrics.documents.inc({ collection: 'all', outcome: 'parked' }, resolution.parked.length);
    this.metrics.bufferSize.set(this.buffer.size);
    this.state.lastFlushAt = new Date(now).toISOString();
    const deadLettered = new Set(resolution.rejected.map(({ item }) => item));
    for (const { topic, partition, offset, item } of entries) {
      const result = item.kind === 'poison' || deadLettered.has(item) ? 'dead-lettered' : 'success';
      this.events.emit('delivery', { topic, partition, offset, result, durationMs });
    }
    // Rare (a change consumed before any copy of its message was stored): where, so the cause can be traced.
    if (resolution.parked.length > 0)
      this.log.warn({ changes: resolution.parked }, 'changes parked until their message is stored');
    this.log.info(
      {
        trigger,
        count: entries.length,
        inserted: resolution.written,
        matched: resolution.duplicates,
        deadLettered: deadLetterCount,
        retries: resolution.retries,
        parked: resolution.parked.length,
        unparked: resolution.unparked,
        durationMs,
        writeMs,
      },
      'flushed',
    );
  }

  private setPaused(paused: boolean): void {
    if (this.state.paused === paused || !this.consumer || (this.stopping && !paused)) return;
    this.state.paused = paused;
    const topics = this.topics.map((topic) => ({ topic }));
    if (paused) this.consumer.pause(topics);
    else this.consumer.resume(topics);
    this.events.emit('paused', { paused, topics: paused ? this.topics : [] });
    this.log.info(
      { paused, buffered: this.buffer.size },
      paused ? 'consumption paused' : 'consumption resumed',
    );
  }

  private setConnected(connected: boolean, reason: string): void {
    this.state.connected = connected;
    this.events.emit('connection', { connected, reason });
  }

  private async ensureDeadLetterTopic(): Promise<void> {
    await ensureTopics(this.admin!, [
      { name: groupTopics.deadLetter(this.options.groupId), partitions: 1, config: {} },
    ]);
  }
}
