import { DEFAULT_BACKUP_KEY } from '@chat/backup-queue';
import { TOPICS } from '@chat/contracts';
import type { EnvTable } from './table.js';

/** The chat gateway's variables (services/chat/src/config.ts; docs/configuration.md). */
export const CHAT_ENV = {
  instanceId: { name: 'CHAT_INSTANCE_ID', role: 'instance' },
  host: { name: 'HOST', default: '0.0.0.0', role: 'host' },
  port: { name: 'PORT', default: 8080, role: 'port' },
  corsOrigins: { name: 'CHAT_CORS_ORIGINS', default: '' },
  /** Default: the built page beside the service's source, which only the service can locate. */
  webDir: { name: 'CHAT_WEB_DIR' },
  roomApiUrl: { name: 'CHAT_ROOM_API_URL', default: 'http://127.0.0.1:3002', urlOf: 'room' },
  /** The identity API the page calls (a URL, or `same-origin` behind one ingress). @defaultValue none: development sign-in only */
  identityApiUrl: { name: 'CHAT_IDENTITY_API_URL', urlOf: 'identity' },
  /** The sign-in page's single sign-on button label. @defaultValue none: no button */
  ssoLabel: { name: 'CHAT_SSO_LABEL' },
  roomEventsTopic: { name: 'CHAT_ROOM_EVENTS_TOPIC', default: TOPICS.roomEvents, namespaced: 'topic' },
  publishBrokers: { name: 'CHAT_PUBLISH_BROKERS' },
  messagesTopic: { name: 'CHAT_MESSAGES_TOPIC', default: TOPICS.messages, namespaced: 'topic' },
  receiptsTopic: { name: 'CHAT_RECEIPTS_TOPIC', default: TOPICS.receipts, namespaced: 'topic' },
  /** `fan-out`: every instance reads every partition; `room-feeds`: partition owners publish per-room Redis feeds. */
  deliveryMode: { name: 'CHAT_DELIVERY_MODE', default: 'fan-out' },
  deliveryGroupPrefix: { name: 'CHAT_DELIVERY_GROUP_PREFIX', default: 'chat-gateway', namespaced: 'group' },
  /** The one group of the partition owners (`room-feeds` delivery). */
  deliveryOwnersGroup: {
    name: 'CHAT_DELIVERY_OWNERS_GROUP',
    default: 'chat-delivery-owners',
    namespaced: 'group',
  },
  /** Must name the persistence worker's group (PERSISTENCE_ENV.groupId). */
  persistenceGroup: { name: 'CHAT_PERSISTENCE_GROUP', default: 'persistence', namespaced: 'group' },
  warmUpMs: { name: 'CHAT_WARM_UP_MS', default: 120_000 },
  windowPerRoom: { name: 'CHAT_WINDOW_PER_ROOM', default: 500 },
  /** Should equal PERSISTENCE_ENV.recentCacheLength (the writer's). */
  recentCacheLength: { name: 'CHAT_RECENT_CACHE_LENGTH', default: 200 },
  sendTimeoutMs: { name: 'CHAT_SEND_TIMEOUT_MS', default: 3000 },
  publishLingerMs: { name: 'CHAT_PUBLISH_LINGER_MS', default: 2 },
  maxSendsInFlight: { name: 'CHAT_MAX_SENDS_IN_FLIGHT', default: 1000 },
  shedLoopDelayMs: { name: 'CHAT_SHED_LOOP_DELAY_MS', default: 50 },
  requestDeadlineMs: { name: 'CHAT_REQUEST_DEADLINE_MS', default: 5000 },
  resumeDeadlineMs: { name: 'CHAT_RESUME_DEADLINE_MS', default: 30_000 },
  maxConnectionsPerUser: { name: 'CHAT_MAX_CONNECTIONS_PER_USER', default: 20 },
  maxConnectionsPerAddress: { name: 'CHAT_MAX_CONNECTIONS_PER_ADDRESS', default: 500 },
  maxRoomsPerSocket: { name: 'CHAT_MAX_ROOMS_PER_SOCKET', default: 500 },
  historyReadsPerUser: { name: 'CHAT_HISTORY_READS_PER_USER', default: 4 },
  historyDatabaseReads: { name: 'CHAT_HISTORY_DATABASE_READS', default: 4 },
  historyQueryMs: { name: 'CHAT_HISTORY_QUERY_MS', default: 4000 },
  backupKey: { name: 'CHAT_BACKUP_KEY', default: DEFAULT_BACKUP_KEY, namespaced: 'key' },
  backupPollMs: { name: 'CHAT_BACKUP_POLL_MS', default: 250 },
  backupInitialDelayMs: { name: 'CHAT_BACKUP_INITIAL_DELAY_MS', default: 200 },
  backupMaxDelayMs: { name: 'CHAT_BACKUP_MAX_DELAY_MS', default: 5000 },
  backupBatch: { name: 'CHAT_BACKUP_BATCH', default: 200 },
  rateLimitPoints: { name: 'CHAT_RATE_LIMIT_POINTS', default: 50 },
  rateLimitSeconds: { name: 'CHAT_RATE_LIMIT_SECONDS', default: 1 },
  presenceTtlSeconds: { name: 'CHAT_PRESENCE_TTL_SECONDS', default: 60 },
  typingTtlMs: { name: 'CHAT_TYPING_TTL_MS', default: 5000 },
  drainTimeoutMs: { name: 'CHAT_DRAIN_TIMEOUT_MS', default: 20_000 },
} as const satisfies EnvTable;
