import { TOPICS } from '@chat/contracts';
import type { EnvTable } from './table.js';

/** The persistence worker's variables (services/persistence/src/config.ts; docs/configuration.md). */
export const PERSISTENCE_ENV = {
  groupId: { name: 'PERSISTENCE_GROUP_ID', default: 'persistence', namespaced: 'group' },
  topics: {
    name: 'PERSISTENCE_TOPICS',
    default: `${TOPICS.messages},${TOPICS.receipts}`,
    namespaced: 'topics',
  },
  /** The one group writing the recent cache from the messages topic. */
  recentCacheGroup: {
    name: 'PERSISTENCE_RECENT_CACHE_GROUP',
    default: 'chat-recent-cache',
    namespaced: 'group',
  },
  recentCacheTopic: { name: 'PERSISTENCE_RECENT_CACHE_TOPIC', default: TOPICS.messages, namespaced: 'topic' },
  recentCacheLength: { name: 'PERSISTENCE_RECENT_CACHE_LENGTH', default: 200 },
  /** Fault injection for crash tests; never set in a deployment. */
  failpoint: { name: 'PERSISTENCE_FAILPOINT' },
  flushMaxEvents: { name: 'PERSISTENCE_FLUSH_MAX_EVENTS', default: 1000 },
  flushIntervalMs: { name: 'PERSISTENCE_FLUSH_INTERVAL_MS', default: 250 },
  bufferMaxEvents: { name: 'PERSISTENCE_BUFFER_MAX_EVENTS', default: 5000 },
  retryInitialDelayMs: { name: 'PERSISTENCE_RETRY_INITIAL_DELAY_MS', default: 200 },
  retryMaxDelayMs: { name: 'PERSISTENCE_RETRY_MAX_DELAY_MS', default: 5000 },
  port: { name: 'PERSISTENCE_HTTP_PORT', default: 8083, role: 'port' },
  sessionTimeoutMs: { name: 'PERSISTENCE_SESSION_TIMEOUT_MS', default: 30_000 },
  drainTimeoutMs: { name: 'PERSISTENCE_DRAIN_TIMEOUT_MS', default: 20_000 },
} as const satisfies EnvTable;
