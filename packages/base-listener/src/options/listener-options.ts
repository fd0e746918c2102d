import { hostname } from 'node:os';
import type { EventType } from '@chat/contracts';
import { ConfigError, createLogger, endpointsFromEnv } from '@chat/runtime';
import { type TracerProvider, trace } from '@opentelemetry/api';
import type { Redis } from 'ioredis';
import Joi from 'joi';
import type { Logger } from 'pino';
import { type Registry, register } from 'prom-client';
import type { ProcessedStore } from '../idempotency/store.js';
import type { RetryMode } from '../retry/routing.js';

export interface RetryOptions {
  /**
   * `blocking` retries in place and holds the partition, keeping per-key
   * order (room messages); `topics` parks the record in `<group>.<topic>.retry.<n>`
   * and moves on, for listeners that need no order.
   * @defaultValue 'blocking'
   */
  mode: RetryMode;
  /** Attempts in all, the first included. @defaultValue 5 */
  maxAttempts: number;
  /** Delay before the first retry. @defaultValue 200 */
  initialDelayMs: number;
  /** Each delay is this many times the one before. @defaultValue 2 */
  multiplier: number;
  /** Upper bound of one delay. @defaultValue 30_000 */
  maxDelayMs: number;
  /** Fraction of each delay taken off at random. @defaultValue 0.2 */
  jitter: number;
}

export interface IdempotencyOptions {
  /** @defaultValue true */
  enabled: boolean;
  /** ioredis client or URL for the fast path; `false` uses the durable store alone. @defaultValue endpointsFromEnv().redisUrl */
  redis: Redis | string | false;
  /** Where applied keys are kept durably. @defaultValue a compacted Kafka topic, `groupTopics.processed(groupId)` */
  durable?: ProcessedStore;
  /** How long an applied key is remembered. @defaultValue 86_400 (24 h) */
  ttlSeconds: number;
  /** How long one attempt holds a key before another consumer may take it. @defaultValue 60_000 */
  reservationMs: number;
}

export interface ListenerBreakerOptions {
  /** @defaultValue true */
  enabled: boolean;
  /** @defaultValue 50 */
  errorThresholdPercentage: number;
  /** @defaultValue 5 */
  volumeThreshold: number;
  /** @defaultValue 30_000 */
  resetTimeoutMs: number;
  /** @defaultValue 10_000 */
  rollingCountTimeoutMs: number;
}

export interface CommonListenerOptions {
  /** Consumer group; also names the group's DLQ, retry and processed topics. */
  groupId: string;
  /** Topics to consume. */
  topics: readonly string[];
  /** Name in logs, metrics and health. @defaultValue the subclass's name */
  name?: string;
  /** @defaultValue endpointsFromEnv().kafkaBrokers */
  brokers?: string[];
  /** @defaultValue the listener's name */
  clientId?: string;
  /** Partitions processed at once; each one strictly in order. @defaultValue 3 */
  concurrency?: number;
  /** Where a new group starts: the earliest retained record, so a new service misses nothing. @defaultValue true */
  fromBeginning?: boolean;
  /** @defaultValue 30_000 */
  sessionTimeoutMs?: number;
  /** @defaultValue 3_000 */
  heartbeatIntervalMs?: number;
  /** Create missing retry and DLQ topics at start (auto topic creation is off). @defaultValue true */
  createTopics?: boolean;
  retry?: Partial<RetryOptions>;
  idempotency?: Partial<IdempotencyOptions>;
  breaker?: Partial<ListenerBreakerOptions>;
  /** Must be unique per running instance and stable across its restarts, so a restart fences its old self. @defaultValue `${groupId}.${hostname()}` */
  transactionalId?: string;
  /** @defaultValue 60_000 */
  transactionTimeoutMs?: number;
  /**
   * Finished offsets are committed at most this often per partition (inside
   * a long batch or at its end, else by a timer), and at once on a failure or
   * a stop; 0 commits after every batch. @defaultValue 1_000
   */
  commitIntervalMs?: number;
  /** How often lag is measured; 0 measures only on `refreshLag()`. @defaultValue 10_000 */
  lagIntervalMs?: number;
  /**
   * When the broker answers a fetch: once `minBytes` are there or `maxWaitMs`
   * has passed. A listener with no one waiting on it within milliseconds
   * takes a byte floor: far fewer fetches, and batches of many records.
   */
  fetch?: Partial<FetchOptions>;
  /** How long `stop()` waits for in-flight work before disconnecting anyway. @defaultValue 30_000 */
  shutdownTimeoutMs?: number;
  /** @defaultValue `createLogger(name)` from @chat/runtime */
  logger?: Logger;
  /** @defaultValue prom-client's default registry */
  registry?: Registry;
  /** @defaultValue the global tracer provider */
  tracerProvider?: TracerProvider;
}

export interface FetchOptions {
  /** @defaultValue 1: answered as soon as anything is there */
  minBytes: number;
  /** Also bounds how long `stop()` waits for an idle fetch. @defaultValue 1_000 */
  maxWaitMs: number;
}

/** A listener typed for some event types must name them, so its handler never gets a type it was not written for. */
type EventTypesOption<T extends EventType> = EventType extends T
  ? {
      /** Event types handled; others on the topics are acknowledged and skipped. @defaultValue every type */
      eventTypes?: readonly T[];
    }
  : {
      /** Event types handled; others on the topics are acknowledged and skipped. */
      eventTypes: readonly T[];
    };

export type ListenerOptions<T extends EventType = EventType> = CommonListenerOptions & EventTypesOption<T>;

export interface ResolvedListenerOptions<T extends EventType = EventType> extends Required<
  Omit<CommonListenerOptions, 'retry' | 'idempotency' | 'breaker' | 'fetch'>
> {
  eventTypes: readonly T[] | undefined;
  fetch: FetchOptions;
  retry: RetryOptions;
  idempotency: IdempotencyOptions;
  breaker: ListenerBreakerOptions;
}

const positive = () => Joi.number().integer().min(1);

const schema = Joi.object({
  groupId: Joi.string()
    .pattern(/^[A-Za-z0-9._-]{1,180}$/, 'topic-safe name')
    .required(),
  topics: Joi.array().items(Joi.string().min(1)).min(1).unique().required(),
  eventTypes: Joi.array().items(Joi.string()).min(1),
  name: Joi.string().min(1),
  brokers: Joi.array().items(Joi.string().min(1)).min(1),
  clientId: Joi.string().min(1),
  concurrency: positive().default(3),
  fromBeginning: Joi.boolean().default(true),
  sessionTimeoutMs: Joi.number().integer().min(6_000).default(30_000),
  heartbeatIntervalMs: positive().default(3_000),
  createTopics: Joi.boolean().default(true),
  retry: Joi.object({
    mode: Joi.string().valid('blocking', 'topics').default('blocking'),
    maxAttempts: positive().max(100).default(5),
    initialDelayMs: Joi.number().integer().min(0).default(200),
    multiplier: Joi.number().min(1).default(2),
    maxDelayMs: Joi.number().integer().min(0).default(30_000),
    jitter: Joi.number().min(0).less(1).default(0.2),
  }).default(),
  idempotency: Joi.object({
    enabled: Joi.boolean().default(true),
    redis: Joi.alternatives(
      Joi.string().uri({ scheme: ['redis', 'rediss'] }),
      Joi.valid(false),
      Joi.object(),
    ),
    durable: Joi.object(),
    ttlSeconds: positive().default(86_400),
    reservationMs: positive().default(60_000),
  }).default(),
  breaker: Joi.object({
    enabled: Joi.boolean().default(true),
    errorThresholdPercentage: Joi.number().min(1).max(100).default(50),
    volumeThreshold: Joi.number().integer().min(0).default(5),
    resetTimeoutMs: positive().default(30_000),
    rollingCountTimeoutMs: positive().default(10_000),
  }).default(),
  transactionalId: Joi.string().min(1),
  transactionTimeoutMs: positive().default(60_000),
  commitIntervalMs: Joi.number().integer().min(0).default(1_000),
  lagIntervalMs: Joi.number().integer().min(0).default(10_000),
  fetch: Joi.object({
    minBytes: positive().default(1),
    maxWaitMs: positive().max(10_000).default(1_000),
  }).default(),
  shutdownTimeoutMs: positive().default(30_000),
  logger: Joi.object(),
  registry: Joi.object(),
  tracerProvider: Joi.object(),
});

/** Checks a listener's options once, fills every default, and fails with every problem at once. */
export function resolveListenerOptions<T extends EventType>(
  options: ListenerOptions<T>,
  className: string,
): ResolvedListenerOptions<T> {
  const { value, error } = schema.validate(options, { abortEarly: false, convert: false });
  if (error) throw new ConfigError(error.details.map((detail) => `listener option ${detail.message}`));
  const given = value as Omit<CommonListenerOptions, 'retry' | 'idempotency' | 'breaker' | 'fetch'> &
    Pick<ResolvedListenerOptions<T>, 'eventTypes' | 'retry' | 'idempotency' | 'breaker' | 'fetch'>;
  const name = given.name ?? className;
  return {
    ...(given as Required<typeof given>),
    eventTypes: given.eventTypes,
    name,
    brokers: given.brokers ?? endpointsFromEnv().kafkaBrokers,
    clientId: given.clientId ?? name,
    transactionalId: given.transactionalId ?? `${given.groupId}.${hostname()}`,
    idempotency: { ...given.idempotency, redis: given.idempotency.redis ?? endpointsFromEnv().redisUrl },
    logger: given.logger ?? createLogger(name),
    registry: given.registry ?? register,
    tracerProvider: given.tracerProvider ?? trace.getTracerProvider(),
  };
}
