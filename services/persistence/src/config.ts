import Joi from 'joi';
import { endpointsFromEnv, parseConfig, type Endpoints } from '@chat/runtime';
import { PERSISTENCE_ENV } from '@chat/service-env';

export interface PersistenceConfig {
  endpoints: Endpoints;
  /** @defaultValue 'persistence' */
  groupId: string;
  /** @defaultValue the messages and receipts topics */
  topics: string[];
  /** The recent-cache writer: its one platform-wide group, the messages topic, and each room's list length. */
  recentCache: {
    /** @defaultValue 'chat-recent-cache' */
    groupId: string;
    /** @defaultValue chat.messages.v1 */
    topic: string;
    /** @defaultValue 200 */
    length: number;
  };
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

const E = PERSISTENCE_ENV;
const schema = Joi.object({
  [E.groupId.name]: Joi.string().default(E.groupId.default),
  [E.topics.name]: Joi.string().default(E.topics.default),
  [E.recentCacheGroup.name]: Joi.string().default(E.recentCacheGroup.default),
  [E.recentCacheTopic.name]: Joi.string().default(E.recentCacheTopic.default),
  [E.recentCacheLength.name]: Joi.number().integer().min(10).default(E.recentCacheLength.default),
  [E.failpoint.name]: Joi.string().valid('before-write', 'after-write'),
  [E.flushMaxEvents.name]: Joi.number().integer().min(1).default(E.flushMaxEvents.default),
  [E.flushIntervalMs.name]: Joi.number().integer().min(10).default(E.flushIntervalMs.default),
  [E.bufferMaxEvents.name]: Joi.number().integer().min(1).default(E.bufferMaxEvents.default),
  [E.retryInitialDelayMs.name]: Joi.number().integer().min(1).default(E.retryInitialDelayMs.default),
  [E.retryMaxDelayMs.name]: Joi.number().integer().min(1).default(E.retryMaxDelayMs.default),
  [E.port.name]: Joi.number().port().default(E.port.default),
  [E.sessionTimeoutMs.name]: Joi.number().integer().min(1000).default(E.sessionTimeoutMs.default),
  [E.drainTimeoutMs.name]: Joi.number().integer().min(1000).default(E.drainTimeoutMs.default),
}).custom((value: Record<string, number>, helpers) =>
  value[E.bufferMaxEvents.name]! < value[E.flushMaxEvents.name]!
    ? helpers.message({
        custom: `${E.bufferMaxEvents.name} must be at least ${E.flushMaxEvents.name}`,
      })
    : value,
);

/** Parsed once at start-up; every problem is reported together. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): PersistenceConfig {
  const raw = parseConfig<Record<string, number | string>>(schema, env as Record<string, unknown>);
  return {
    endpoints: endpointsFromEnv(env),
    groupId: raw[E.groupId.name] as string,
    topics: (raw[E.topics.name] as string)
      .split(',')
      .map((topic) => topic.trim())
      .filter(Boolean),
    recentCache: {
      groupId: raw[E.recentCacheGroup.name] as string,
      topic: raw[E.recentCacheTopic.name] as string,
      length: raw[E.recentCacheLength.name] as number,
    },
    failpoint: raw[E.failpoint.name] as PersistenceConfig['failpoint'],
    flushMaxEvents: raw[E.flushMaxEvents.name] as number,
    flushIntervalMs: raw[E.flushIntervalMs.name] as number,
    bufferMaxEvents: raw[E.bufferMaxEvents.name] as number,
    retryInitialDelayMs: raw[E.retryInitialDelayMs.name] as number,
    retryMaxDelayMs: raw[E.retryMaxDelayMs.name] as number,
    httpPort: raw[E.port.name] as number,
    sessionTimeoutMs: raw[E.sessionTimeoutMs.name] as number,
    drainTimeoutMs: raw[E.drainTimeoutMs.name] as number,
  };
}
