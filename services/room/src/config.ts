import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import Joi from 'joi';
import { TOPICS } from '@chat/contracts';
import { authConfigFromEnv, type AuthConfig } from '@chat/auth';
import { ConfigError, endpointsFromEnv, parseConfig, type Endpoints } from '@chat/runtime';

export interface DispatcherConfig {
  /** Run the outbox dispatcher in this process (DISPATCHER_ENABLED). @defaultValue true */
  enabled: boolean;
  /**
   * Idle poll interval (DISPATCH_TICK_MS). A write in this process wakes the dispatcher at once, so the
   * poll only finds other replicas' orphans and retries that fell due; on FerretDB each poll scans every
   * room, so 100 ms kept half a core busy. @defaultValue 1000
   */
  tickMs: number;
  /** Most events published per tick, across rooms (DISPATCH_BATCH_SIZE). @defaultValue 256 */
  batchSize: number;
  /** Publish attempts before an event is parked as dead (DISPATCH_MAX_ATTEMPTS). @defaultValue 10 */
  maxAttempts: number;
  /** How long a claim on a room lasts; a crashed replica's rooms wait this long (DISPATCH_LEASE_MS). @defaultValue 15000 */
  leaseMs: number;
  /** First retry delay, doubled per attempt (DISPATCH_BACKOFF_BASE_MS). @defaultValue 200 */
  backoffBaseMs: number;
  /** Longest retry delay (DISPATCH_BACKOFF_MAX_MS). @defaultValue 30000 */
  backoffMaxMs: number;
  /** Sent events kept in a room's outbox for inspection and replay (DISPATCH_KEEP_SENT). @defaultValue 10 */
  keepSent: number;
  /** Unsent events a room may hold before changes to it are refused as retryable (DISPATCH_MAX_ROOM_BACKLOG). @defaultValue 500 */
  maxRoomBacklog: number;
  /** Where room events go (ROOM_EVENTS_TOPIC). @defaultValue room.events.v1 */
  topic: string;
  /** This replica's name in leases (DISPATCHER_ID). @defaultValue host, pid and a random suffix */
  owner: string;
}

export interface SagaConfig {
  /** How long a running saga is owned by one process before recovery may take it over (SAGA_LEASE_MS). @defaultValue 15000 */
  leaseMs: number;
  /** How often unfinished sagas are looked for (SAGA_RECOVERY_INTERVAL_MS). @defaultValue 2000 */
  recoveryIntervalMs: number;
  /** Runs (first run plus resumptions) before an unfinished saga is compensated instead (SAGA_MAX_ATTEMPTS). @defaultValue 3 */
  maxAttempts: number;
}

export interface RoomConfig {
  /** `corsOrigins`: browser origins allowed to call the API (ROOM_CORS_ORIGINS, comma separated), e.g. the chat page's; empty: none. */
  http: { host: string; port: number; bodyLimitBytes: number; corsOrigins: string[] };
  mongoUrl: string;
  kafkaBrokers: string[];
  /** Where the identity service writes signed-out sessions (REDIS_URL), checked on every request. */
  redisUrl: string;
  auth: AuthConfig;
  dispatcher: DispatcherConfig;
  saga: SagaConfig;
  drainTimeoutMs: number;
}

interface RawConfig {
  HOST: string;
  PORT: number;
  HTTP_BODY_LIMIT_BYTES: number;
  ROOM_CORS_ORIGINS: string;
  DISPATCHER_ENABLED: boolean;
  DISPATCH_TICK_MS: number;
  DISPATCH_BATCH_SIZE: number;
  DISPATCH_MAX_ATTEMPTS: number;
  DISPATCH_LEASE_MS: number;
  DISPATCH_BACKOFF_BASE_MS: number;
  DISPATCH_BACKOFF_MAX_MS: number;
  DISPATCH_KEEP_SENT: number;
  DISPATCH_MAX_ROOM_BACKLOG: number;
  ROOM_EVENTS_TOPIC: string;
  DISPATCHER_ID?: string;
  SAGA_LEASE_MS: number;
  SAGA_RECOVERY_INTERVAL_MS: number;
  SAGA_MAX_ATTEMPTS: number;
  DRAIN_TIMEOUT_MS: number;
}

const ms = (min: number, max: number, fallback: number) =>
  Joi.number().integer().min(min).max(max).default(fallback);

const schema = Joi.object<RawConfig>({
  HOST: Joi.string().default('0.0.0.0'),
  PORT: Joi.number().port().default(3002),
  HTTP_BODY_LIMIT_BYTES: Joi.number().integer().min(1024).max(1_048_576).default(16_384),
  ROOM_CORS_ORIGINS: Joi.string().allow('').default(''),
  DISPATCHER_ENABLED: Joi.boolean().truthy('1').falsy('0').default(true),
  DISPATCH_TICK_MS: ms(10, 60_000, 1_000),
  DISPATCH_BATCH_SIZE: Joi.number().integer().min(1).max(10_000).default(256),
  DISPATCH_MAX_ATTEMPTS: Joi.number().integer().min(1).max(1000).default(10),
  DISPATCH_LEASE_MS: ms(500, 600_000, 15_000),
  DISPATCH_BACKOFF_BASE_MS: ms(1, 60_000, 200),
  DISPATCH_BACKOFF_MAX_MS: ms(1, 3_600_000, 30_000),
  DISPATCH_KEEP_SENT: Joi.number().integer().min(0).max(1000).default(10),
  DISPATCH_MAX_ROOM_BACKLOG: Joi.number().integer().min(10).max(10_000).default(500),
  ROOM_EVENTS_TOPIC: Joi.string()
    .pattern(/^[A-Za-z0-9._-]{1,249}$/)
    .default(TOPICS.roomEvents),
  DISPATCHER_ID: Joi.string()
    .pattern(/^[\x21-\x7e]{1,200}$/)
    .optional(),
  SAGA_LEASE_MS: ms(500, 600_000, 15_000),
  SAGA_RECOVERY_INTERVAL_MS: ms(50, 600_000, 2_000),
  SAGA_MAX_ATTEMPTS: Joi.number().integer().min(1).max(100).default(3),
  DRAIN_TIMEOUT_MS: ms(100, 600_000, 10_000),
});

/** Runs each section's parser, so one ConfigError can list the problems of all of them. */
function sections<T extends unknown[]>(...parsers: { [K in keyof T]: () => T[K] }): T {
  const problems: string[] = [];
  const values = parsers.map((parse) => {
    try {
      return parse();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  });
  if (problems.length) throw new ConfigError(problems);
  return values as T;
}

/** Parsed once at start-up; throws `ConfigError` listing every problem. */
export function roomConfigFromEnv(env: NodeJS.ProcessEnv = process.env): RoomConfig {
  const [endpoints, auth, raw] = sections<[Endpoints, AuthConfig, RawConfig]>(
    () => endpointsFromEnv(env),
    () => authConfigFromEnv(env),
    () => parseConfig(schema, { ...env }),
  );
  return {
    http: {
      host: raw.HOST,
      port: raw.PORT,
      bodyLimitBytes: raw.HTTP_BODY_LIMIT_BYTES,
      corsOrigins: raw.ROOM_CORS_ORIGINS.split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    },
    mongoUrl: endpoints.mongoUrl,
    kafkaBrokers: endpoints.kafkaBrokers,
    redisUrl: endpoints.redisUrl,
    auth,
    dispatcher: {
      enabled: raw.DISPATCHER_ENABLED,
      tickMs: raw.DISPATCH_TICK_MS,
      batchSize: raw.DISPATCH_BATCH_SIZE,
      maxAttempts: raw.DISPATCH_MAX_ATTEMPTS,
      leaseMs: raw.DISPATCH_LEASE_MS,
      backoffBaseMs: raw.DISPATCH_BACKOFF_BASE_MS,
      backoffMaxMs: Math.max(raw.DISPATCH_BACKOFF_MAX_MS, raw.DISPATCH_BACKOFF_BASE_MS),
      keepSent: raw.DISPATCH_KEEP_SENT,
      maxRoomBacklog: raw.DISPATCH_MAX_ROOM_BACKLOG,
      topic: raw.ROOM_EVENTS_TOPIC,
      owner: raw.DISPATCHER_ID ?? processIdentity(),
    },
    saga: {
      leaseMs: raw.SAGA_LEASE_MS,
      recoveryIntervalMs: raw.SAGA_RECOVERY_INTERVAL_MS,
      maxAttempts: raw.SAGA_MAX_ATTEMPTS,
    },
    drainTimeoutMs: raw.DRAIN_TIMEOUT_MS,
  };
}

/** Unique per process, so two processes on one host never share a lease. */
export function processIdentity(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}
