import { type AnyEvent, type EventOf, type EventType, groupTopics, parseEvent } from '@chat/contracts';
import { Redis } from 'ioredis';
import type { Admin, Consumer, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { ConfigError } from '@chat/runtime';
import { DownstreamBreaker } from '../breaker/breaker.js';
import { messageOf } from '../errors/errors.js';
import { type ListenerHealth, HealthTracker } from '../health/health.js';
import { IdempotencyGuard } from '../idempotency/guard.js';
import { KafkaProcessedLog } from '../idempotency/kafka-processed-log.js';
import { RedisFastPath } from '../idempotency/redis-fast-path.js';
import { CONSUMER_CLIENT_RETRY, createKafka } from '../kafka/client.js';
import { onConsumerDeath } from '../kafka/consumer-death.js';
import { TransactionalForwarder } from '../kafka/forwarder.js';
import { type PartitionLag, readLag } from '../kafka/lag.js';
import type { InboundRecord } from '../kafka/record.js';
import { ensureTopics, partitionCount } from '../kafka/topics.js';
import { recordListenerMetrics } from '../metrics/listener-metrics.js';
import {
  type ListenerOptions,
  type ResolvedListenerOptions,
  resolveListenerOptions,
} from '../options/listener-options.js';
import { retryTopicsFor } from '../retry/routing.js';
import { BatchPath, type BatchItem } from './batch-path.js';
import { BatchRunner } from './batch-runner.js';
import type { HandlerContext } from './context.js';
import { ListenerEvents } from './events.js';
import { PauseGate } from './pause-gate.js';
import { buildPipeline } from './pipeline.js';

const DLQ_PARTITIONS = 1;

type Undo = () => Promise<unknown> | undefined;

interface Running {
  admin: Admin;
  consumer: Consumer;
  /** Closes everything opened at start, newest first. */
  closers: Undo[];
  breaker: DownstreamBreaker | undefined;
  gate: PauseGate;
  abort: AbortController;
  lagTimer: NodeJS.Timeout | undefined;
  /** Commits what batches finished since the last commit of their partition. */
  flushCommits(): Promise<void>;
  commitTimer: NodeJS.Timeout | undefined;
}

/**
 * Base class of every Kafka consumer on the platform. A subclass names its
 * group and topics and implements `handle`; the base gives it validation,
 * idempotency, retries, DLQ, breaker, tracing, metrics, lag, health and
 * manual commits done right.
 */
export abstract class Listener<T extends EventType = EventType> {
  /** Telemetry: every step of every delivery, for metrics, health, logs and tests. */
  readonly events = new ListenerEvents();
  protected readonly options: ResolvedListenerOptions<T>;
  protected readonly log: Logger;
  private readonly tracker: HealthTracker;
  private running: Running | undefined;
  private stopping: Promise<void> | undefined;

  constructor(options: ListenerOptions<T>) {
    this.options = resolveListenerOptions(options, new.target.name);
    this.log = this.options.logger.child({ listener: this.options.name, groupId: this.options.groupId });
    this.tracker = new HealthTracker(this.events, {
      listener: this.options.name,
      groupId: this.options.groupId,
      breakerEnabled: this.options.breaker.enabled,
    });
    if (this.handleBatch && this.options.idempotency.enabled)
      throw new ConfigError([
        `listener ${this.options.name}: handleBatch needs idempotency disabled (its effects must be idempotent themselves)`,
      ]);
    recordListenerMetrics(this.events, this.options.registry, {
      group: this.options.groupId,
      breaker: this.options.name,
    });
  }

  /**
   * Applies one event. Resolve when its effect is durable; throw to fail it.
   * Errors marked not retryable (and TypeError/RangeError) go to the DLQ at
   * once; others are retried, then dead-lettered.
   */
  protected abstract handle(event: EventOf<T>, context: HandlerContext): Promise<void>;

  /**
   * Optional: applies a run of consecutive events of one partition at once
   * (say, one Redis pipeline). Only for effects idempotent on their own
   * (the listener's idempotency store is off): a run that fails is taken
   * again record by record through `handle`, with the usual retries and DLQ.
   */
  protected handleBatch?(items: readonly BatchItem<EventOf<T>>[]): Promise<void>;

  /** Decodes and checks a record against the contracts. Override only for a foreign format. */
  protected validate(record: InboundRecord): AnyEvent {
    return parseEvent(record.value ?? Buffer.alloc(0));
  }

  get name(): string {
    return this.options.name;
  }

  /** Connects, creates missing retry/DLQ topics, loads the idempotency log and joins the group. */
  async start(): Promise<void> {
    if (this.running) return;
    // What was opened so far, closed again if a later step fails so a failed start leaks nothing.
    const undo: Undo[] = [];
    try {
      await this.connect(undo);
    } catch (error) {
      this.running = undefined;
      await Promise.allSettled(undo.reverse().map((step) => step()));
      throw error;
    }
  }

  private async connect(undo: Undo[]): Promise<void> {
    const options = this.options;
    const kafka = createKafka({
      brokers: options.brokers,
      clientId: options.clientId,
      logger: this.log,
      retry: CONSUMER_CLIENT_RETRY,
    });
    const admin = kafka.admin();
    await admin.connect();
    undo.push(() => admin.disconnect());
    if (options.createTopics) await this.createGroupTopics(admin);

    const guard = await this.startIdempotency(kafka, undo);

    const forwarder = new TransactionalForwarder(
      kafka,
      { transactionalId: options.transactionalId, transactionTimeoutMs: options.transactionTimeoutMs },
      this.log,
      (record, source) =>
        this.events.emit('forwardProduced', {
          topic: source.topic,
          partition: source.partition,
          offset: source.offset,
          target: record.topic,
        }),
    );
    await forwarder.connect();
    undo.push(() => forwarder.disconnect());

    const consumer = kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs,
      heartbeatInterval: options.heartbeatIntervalMs,
      minBytes: options.fetch.minBytes,
      maxWaitTimeInMs: options.fetch.maxWaitMs,
      readUncommitted: false,
    });
    const topics = this.subscribedTopics();
    const gate = new PauseGate(consumer, topics, (held) => {
      this.events.emit('paused', { paused: held, topics: held ? topics : [] });
      this.log.warn({ paused: held }, held ? 'paused: downstream breaker is open' : 'resumed');
    });
    const breaker = options.breaker.enabled
      ? new DownstreamBreaker(options.name, options.breaker)
      : undefined;
    breaker?.onStateChange((state) => {
      this.events.emit('breaker', { state });
      // Open: stop taking records rather than acking and dropping them. Half-open: let one trial through.
      if (state === 'open') gate.holdAll();
      else gate.releaseAll();
    });

    const abort = new AbortController();
    const accepts = options.eventTypes
      ? (type: string) => (options.eventTypes as readonly string[]).includes(type)
      : () => true;
    const handleBatch = this.handleBatch?.bind(this);
    const runner = new BatchRunner({
      pipeline: buildPipeline({
        groupId: options.groupId,
        retry: {
          mode: options.retry.mode,
          maxAttempts: options.retry.maxAttempts,
          policy: options.retry,
        },
        heartbeatEveryMs: options.heartbeatIntervalMs,
        tracerProvider: options.tracerProvider,
        forwarder,
        guard,
        breaker,
        events: this.events,
        validate: (record) => this.validate(record),
        accepts,
        handle: (event, context) => this.handle(event as EventOf<T>, context),
      }),
      ...(handleBatch
        ? {
            batchPath: new BatchPath({
              groupId: options.groupId,
              tracerProvider: options.tracerProvider,
              breaker,
              logger: this.log,
              validate: (record) => this.validate(record),
              accepts,
              handleBatch: (items) => handleBatch(items as readonly BatchItem<EventOf<T>>[]),
            }),
          }
        : {}),
      gate,
      breakerState: () => breaker?.state ?? 'disabled',
      events: this.events,
      logger: this.log,
      commitIntervalMs: options.commitIntervalMs,
      signal: abort.signal,
    });

    consumer.on(consumer.events.GROUP_JOIN, () => {
      runner.forgetCommits();
      this.events.emit('connection', { connected: true, reason: 'joined group' });
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.events.emit('connection', { connected: false, reason: `crashed: ${payload.error.message}` });
      this.log.error({ err: payload.error.message, restart: payload.restart }, 'consumer crashed');
    });
    onConsumerDeath(consumer, (reason) => this.events.emit('dead', { reason }));
    consumer.on(consumer.events.DISCONNECT, () =>
      this.events.emit('connection', { connected: false, reason: 'disconnected' }),
    );

    await consumer.connect();
    undo.push(() => consumer.disconnect());
    await consumer.subscribe({ topics, fromBeginning: options.fromBeginning });
    const flushCommits = () =>
      runner
        .flushCommits((offsets) => consumer.commitOffsets(offsets))
        .catch((error: unknown) =>
          this.log.warn({ err: messageOf(error) }, 'committing finished offsets failed'),
        );
    // With an interval of 0 every batch commits at its end and nothing is left to flush.
    const commitTimer =
      options.commitIntervalMs > 0
        ? setInterval(() => void flushCommits(), options.commitIntervalMs).unref()
        : undefined;
    this.running = {
      admin,
      consumer,
      closers: undo,
      breaker,
      gate,
      abort,
      lagTimer: undefined,
      flushCommits,
      commitTimer,
    };
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: options.concurrency,
      eachBatch: runner.eachBatch,
    });
    if (options.lagIntervalMs > 0) {
      this.running.lagTimer = setInterval(() => {
        this.refreshLag().catch((error: unknown) =>
          this.log.warn({ err: messageOf(error) }, 'measuring lag failed'),
        );
      }, options.lagIntervalMs).unref();
    }
    this.log.info({ topics }, 'listening');
  }

  /**
   * Graceful stop, safe to call from a SIGTERM handler and more than once:
   * stop fetching, let the in-flight record finish (waits between retries
   * end early, leaving their record for the next run), commit, disconnect.
   */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown().finally(() => (this.stopping = undefined));
    return this.stopping;
  }

  /** The snapshot a readiness endpoint serves. */
  health(): ListenerHealth {
    return this.tracker.snapshot();
  }

  /** Measures lag now (log end minus committed, per partition), updating metrics and health. */
  async refreshLag(): Promise<PartitionLag[]> {
    const running = this.running;
    if (!running) return [];
    const partitions = await readLag(running.admin, this.options.groupId, this.subscribedTopics());
    this.events.emit('lag', { partitions });
    return partitions;
  }

  /** The source topics, plus in `topics` mode the group's retry topics. */
  private subscribedTopics(): string[] {
    const { groupId, topics, retry } = this.options;
    return [
      ...topics,
      ...(retry.mode === 'topics' ? retryTopicsFor(groupId, topics, retry.maxAttempts) : []),
    ];
  }

  private async shutdown(): Promise<void> {
    const running = this.running;
    if (!running) return;
    clearInterval(running.lagTimer);
    clearInterval(running.commitTimer);
    running.abort.abort();
    // While the consumer still runs: a stopped one commits nothing. A batch still running commits its own at its end.
    await running.flushCommits();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.options.shutdownTimeoutMs);
    });
    const result = await Promise.race([running.consumer.stop(), timedOut]);
    clearTimeout(timer);
    if (result === 'timeout') this.log.warn('in-flight work did not finish in time; disconnecting anyway');
    running.gate.clear();
    running.breaker?.shutdown();
    for (const close of running.closers.reverse()) {
      await Promise.resolve(close()).catch((error: unknown) =>
        this.log.warn({ err: messageOf(error) }, 'closing failed'),
      );
    }
    this.running = undefined;
    this.events.emit('connection', { connected: false, reason: 'stopped' });
    this.log.info('stopped');
  }

  private async createGroupTopics(admin: Admin): Promise<void> {
    const { groupId, topics, retry } = this.options;
    const retrySpecs = [];
    if (retry.mode === 'topics') {
      for (const topic of topics) {
        // A retry topic has its source's partitions, so a key keeps its partition number through retries.
        const partitions = (await partitionCount(admin, topic)) || 1;
        for (const name of retryTopicsFor(groupId, [topic], retry.maxAttempts))
          retrySpecs.push({ name, partitions, config: {} });
      }
    }
    await ensureTopics(admin, [
      { name: groupTopics.deadLetter(groupId), partitions: DLQ_PARTITIONS, config: {} },
      ...retrySpecs,
    ]);
  }

  private processedLog(kafka: Kafka): KafkaProcessedLog {
    return new KafkaProcessedLog({
      kafka,
      topic: groupTopics.processed(this.options.groupId),
      ttlMs: this.options.idempotency.ttlSeconds * 1000,
      partitions: 3,
      createTopic: this.options.createTopics,
      loadTimeoutMs: 60_000,
      logger: this.log,
    });
  }

  /** Redis fast path (when configured) over the durable store; undefined when idempotency is off. */
  private async startIdempotency(kafka: Kafka, undo: Undo[]): Promise<IdempotencyGuard | undefined> {
    const { idempotency, groupId } = this.options;
    if (!idempotency.enabled) return undefined;
    const { redis, ownsRedis } = this.redisClient();
    if (redis && ownsRedis) undo.push(() => redis.quit());
    const durable = idempotency.durable ?? this.processedLog(kafka);
    await durable.start();
    undo.push(() => durable.stop());
    const fast = redis
      ? new RedisFastPath(redis, `idem:${groupId}`, idempotency.ttlSeconds, idempotency.reservationMs)
      : undefined;
    return new IdempotencyGuard(fast, durable, this.events, this.log);
  }

  /** A Redis client that fails fast while Redis is down, so the durable store answers instead of queueing. */
  private redisClient(): { redis: Redis | undefined; ownsRedis: boolean } {
    const configured = this.options.idempotency.redis;
    if (configured === false) return { redis: undefined, ownsRedis: false };
    if (typeof configured !== 'string') return { redis: configured, ownsRedis: false };
    const redis = new Redis(configured, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: 1_000,
      retryStrategy: (times) => Math.min(times * 200, 2_000),
    });
    redis.on('error', (error: Error) => this.log.debug({ err: error.message }, 'redis connection error'));
    return { redis, ownsRedis: true };
  }
}
