import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import Joi from 'joi';
import { authConfigFromEnv, type AuthConfig } from '@chat/auth';
import { ConfigError, endpointsFromEnv, parseConfig, type Endpoints } from '@chat/runtime';
import { ROOM_ENV } from '@chat/service-env';

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

type RawConfig = Record<string, string | number | boolean | undefined>;

const ms = (min: number, max: number, fallback: number) =>
  Joi.number().integer().min(min).max(max).default(fallback);

const E = ROOM_ENV;
const schema = Joi.object<RawConfig>({
  [E.host.name]: Joi.string().default(E.host.default),
  [E.port.name]: Joi.number().port().default(E.port.default),
  [E.bodyLimitBytes.name]: Joi.number().integer().min(1024).max(1_048_576).default(E.bodyLimitBytes.default),
  [E.corsOrigins.name]: Joi.string().allow('').default(E.corsOrigins.default),
  [E.dispatcherEnabled.name]: Joi.boolean().truthy('1').falsy('0').default(E.dispatcherEnabled.default),
  [E.dispatchTickMs.name]: ms(10, 60_000, E.dispatchTickMs.default),
  [E.dispatchBatchSize.name]: Joi.number().integer().min(1).max(10_000).default(E.dispatchBatchSize.default),
  [E.dispatchMaxAttempts.name]: Joi.number()
    .integer()
    .min(1)
    .max(1000)
    .default(E.dispatchMaxAttempts.default),
  [E.dispatchLeaseMs.name]: ms(500, 600_000, E.dispatchLeaseMs.default),
  [E.dispatchBackoffBaseMs.name]: ms(1, 60_000, E.dispatchBackoffBaseMs.default),
  [E.dispatchBackoffMaxMs.name]: ms(1, 3_600_000, E.dispatchBackoffMaxMs.default),
  [E.dispatchKeepSent.name]: Joi.number().integer().min(0).max(1000).default(E.dispatchKeepSent.default),
  [E.dispatchMaxRoomBacklog.name]: Joi.number()
    .integer()
    .min(10)
    .max(10_000)
    .default(E.dispatchMaxRoomBacklog.default),
  [E.eventsTopic.name]: Joi.string()
    .pattern(/^[A-Za-z0-9._-]{1,249}$/)
    .default(E.eventsTopic.default),
  [E.dispatcherId.name]: Joi.string()
    .pattern(/^[\x21-\x7e]{1,200}$/)
    .optional(),
  [E.sagaLeaseMs.name]: ms(500, 600_000, E.sagaLeaseMs.default),
  [E.sagaRecoveryIntervalMs.name]: ms(50, 600_000, E.sagaRecoveryIntervalMs.default),
  [E.sagaMaxAttempts.name]: Joi.number().integer().min(1).max(100).default(E.sagaMaxAttempts.default),
  [E.drainTimeoutMs.name]: ms(100, 600_000, E.drainTimeoutMs.default),
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
      host: raw[E.host.name] as string,
      port: raw[E.port.name] as number,
      bodyLimitBytes: raw[E.bodyLimitBytes.name] as number,
      corsOrigins: (raw[E.corsOrigins.name] as string)
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    },
    mongoUrl: endpoints.mongoUrl,
    kafkaBrokers: endpoints.kafkaBrokers,
    redisUrl: endpoints.redisUrl,
    auth,
    dispatcher: {
      enabled: raw[E.dispatcherEnabled.name] as boolean,
      tickMs: raw[E.dispatchTickMs.name] as number,
      batchSize: raw[E.dispatchBatchSize.name] as number,
      maxAttempts: raw[E.dispatchMaxAttempts.name] as number,
      leaseMs: raw[E.dispatchLeaseMs.name] as number,
      backoffBaseMs: raw[E.dispatchBackoffBaseMs.name] as number,
      backoffMaxMs: Math.max(
        raw[E.dispatchBackoffMaxMs.name] as number,
        raw[E.dispatchBackoffBaseMs.name] as number,
      ),
      keepSent: raw[E.dispatchKeepSent.name] as number,
      maxRoomBacklog: raw[E.dispatchMaxRoomBacklog.name] as number,
      topic: raw[E.eventsTopic.name] as string,
      owner: (raw[E.dispatcherId.name] as string | undefined) ?? processIdentity(),
    },
    saga: {
      leaseMs: raw[E.sagaLeaseMs.name] as number,
      recoveryIntervalMs: raw[E.sagaRecoveryIntervalMs.name] as number,
      maxAttempts: raw[E.sagaMaxAttempts.name] as number,
    },
    drainTimeoutMs: raw[E.drainTimeoutMs.name] as number,
  };
}

/** Unique per process, so two processes on one host never share a lease. */
export function processIdentity(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}
