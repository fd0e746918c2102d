import Joi from 'joi';
import { TOPICS } from '@chat/contracts';
import { endpointsFromEnv, parseConfig, type Endpoints } from '@chat/runtime';

export interface PersistenceConfig {
  endpoints: Endpoints;
  /** @defaultValue 'persistence' */
  groupId: string;
  /** @defaultValue the messages and receipts topics */
  topics: string[];
  /** Flush when this many events are buffered. @defaultValue 1000 */
  flushMaxEvents: number;
  /** Flush when the oldest buffered event is this old; keeps send→persisted near a second at low load. @defaultValue 250 */
  flushIntervalMs: number;
  /** Pause consumption while this many events wait; bounds memory. @defaultValue 5000 */
  bufferMaxEvents: number;
  /** First wait before retrying a failed write; doubles up to `retryMaxDelayMs`. @defaultValue 200 */
  retryInitialDelayMs: number;
  /** @defaultValue 5000 */
  retryMaxDelayMs: number;
  /** Port of /livez, /readyz and /metrics. @defaultValue 8083 */
  httpPort: number;
  /** How long the group waits for a silent (crashed) member before giving its partitions away. @defaultValue 30000 */
  sessionTimeoutMs: number;
  /** Longest SIGTERM drain (flush, commit, disconnect). @defaultValue 20000 */
  drainTimeoutMs: number;
  /**
   * Fault-injection point for crash tests: the process exits with SIGKILL
   * semantics right `before-write` or right `after-write` (before the commit)
   * of its first flush. @defaultValue none
   */
  failpoint?: 'before-write' | 'after-write';
}

const schema = Joi.object({
  PERSISTENCE_GROUP_ID: Joi.string().default('persistence'),
  PERSISTENCE_TOPICS: Joi.string().default(`${TOPICS.messages},${TOPICS.receipts}`),
  PERSISTENCE_FAILPOINT: Joi.string().valid('before-write', 'after-write'),
  PERSISTENCE_FLUSH_MAX_EVENTS: Joi.number().integer().min(1).default(1000),
  PERSISTENCE_FLUSH_INTERVAL_MS: Joi.number().integer().min(10).default(250),
  PERSISTENCE_BUFFER_MAX_EVENTS: Joi.number().integer().min(1).default(5000),
  PERSISTENCE_RETRY_INITIAL_DELAY_MS: Joi.number().integer().min(1).default(200),
  PERSISTENCE_RETRY_MAX_DELAY_MS: Joi.number().integer().min(1).default(5000),
  PERSISTENCE_HTTP_PORT: Joi.number().port().default(8083),
  PERSISTENCE_SESSION_TIMEOUT_MS: Joi.number().integer().min(1000).default(30_000),
  PERSISTENCE_DRAIN_TIMEOUT_MS: Joi.number().integer().min(1000).default(20_000),
}).custom((value: Record<string, number>, helpers) =>
  value.PERSISTENCE_BUFFER_MAX_EVENTS! < value.PERSISTENCE_FLUSH_MAX_EVENTS!
    ? helpers.message({
        custom: 'PERSISTENCE_BUFFER_MAX_EVENTS must be at least PERSISTENCE_FLUSH_MAX_EVENTS',
      })
    : value,
);

/** Parsed once at start-up; every problem is reported together. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): PersistenceConfig {
  const raw = parseConfig<Record<string, number | string>>(schema, env as Record<string, unknown>);
  return {
    endpoints: endpointsFromEnv(env),
    groupId: raw.PERSISTENCE_GROUP_ID as string,
    topics: (raw.PERSISTENCE_TOPICS as string)
      .split(',')
      .map((topic) => topic.trim())
      .filter(Boolean),
    failpoint: raw.PERSISTENCE_FAILPOINT as PersistenceConfig['failpoint'],
    flushMaxEvents: raw.PERSISTENCE_FLUSH_MAX_EVENTS as number,
    flushIntervalMs: raw.PERSISTENCE_FLUSH_INTERVAL_MS as number,
    bufferMaxEvents: raw.PERSISTENCE_BUFFER_MAX_EVENTS as number,
    retryInitialDelayMs: raw.PERSISTENCE_RETRY_INITIAL_DELAY_MS as number,
    retryMaxDelayMs: raw.PERSISTENCE_RETRY_MAX_DELAY_MS as number,
    httpPort: raw.PERSISTENCE_HTTP_PORT as number,
    sessionTimeoutMs: raw.PERSISTENCE_SESSION_TIMEOUT_MS as number,
    drainTimeoutMs: raw.PERSISTENCE_DRAIN_TIMEOUT_MS as number,
  };
}
