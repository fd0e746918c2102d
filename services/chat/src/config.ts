import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import Joi from 'joi';
import { DEFAULT_BACKUP_KEY } from '@chat/backup-queue';
import { TOPICS } from '@chat/contracts';
import { authConfigFromEnv, type AuthConfig } from '@chat/auth';
import { endpointsFromEnv, parseConfig, type Endpoints } from '@chat/runtime';

export interface ChatConfig {
  /** Names this instance in its consumer group, locks and logs; unique per running instance (CHAT_INSTANCE_ID). @defaultValue host, pid and a random suffix */
  instanceId: string;
  http: {
    /** @defaultValue '0.0.0.0' */
    host: string;
    /** @defaultValue 8080 */
    port: number;
    /** Allowed browser origins for Socket.IO (CHAT_CORS_ORIGINS, comma separated); empty refuses cross-origin. @defaultValue none */
    corsOrigins: string[];
  };
  web: {
    /** The built web page served at `/` (CHAT_WEB_DIR); missing: the gateway runs without a page. @defaultValue services/chat/web/dist */
    dir: string;
    /** Where browsers reach the room service's API (CHAT_ROOM_API_URL); empty: the page's own origin (behind an ingress). @defaultValue 'http://127.0.0.1:3002' */
    roomApiUrl: string;
    /** Where browsers reach the identity service (CHAT_IDENTITY_API_URL; `same-origin` behind an ingress): accounts on the page. @defaultValue none (no accounts) */
    identityApiUrl?: string;
    /** The single sign-on button's provider name (CHAT_SSO_LABEL); set when the identity service has SSO. @defaultValue none (no button) */
    ssoLabel?: string;
  };
  /** Room events that keep the membership view current (CHAT_ROOM_EVENTS_TOPIC). @defaultValue room.events.v1 */
  roomEventsTopic: string;
  endpoints: Endpoints;
  /** Brokers the send path publishes to (CHAT_PUBLISH_BROKERS). @defaultValue endpoints.kafkaBrokers */
  publishBrokers: string[];
  topics: {
    /** @defaultValue chat.messages.v1 */
    messages: string;
    /** @defaultValue chat.receipts.v1 */
    receipts: string;
  };
  groups: {
    /** Prefix of each instance's own delivery group: `<prefix>.<instanceId>`. @defaultValue 'chat-gateway' */
    deliveryPrefix: string;
    /** The one group all instances share to write the recent cache. @defaultValue 'chat-recent-cache' */
    recentCache: string;
    /** The persistence worker's group, whose committed offsets say what MongoDB holds. @defaultValue 'persistence' */
    persistence: string;
  };
  /** The delivery consumer starts this far back, so its memory window covers recent reconnects. @defaultValue 120000 */
  warmUpMs: number;
  /** Messages kept in memory per room. @defaultValue 500 */
  windowPerRoom: number;
  /** Length of `chat:recent:{roomId}`. @defaultValue 200 */
  recentCacheLength: number;
  /** A Kafka publish slower than this counts as failed and the message goes to the backup queue. @defaultValue 3000 */
  sendTimeoutMs: number;
  /**
   * Sends this instance works on at once (CHAT_MAX_SENDS_IN_FLIGHT); past it a send is refused at
   * once with OVERLOADED, so an overloaded instance keeps answering instead of timing everything
   * out. Ack latency stays near this bound ÷ the instance's throughput. @defaultValue 1000
   */
  maxSendsInFlight: number;
  limits: {
    /** Every request with an ack is answered within this long, with a result or a retryable UNAVAILABLE (CHAT_REQUEST_DEADLINE_MS); above CHAT_SEND_TIMEOUT_MS, so a send can fall back to the backup queue in time. @defaultValue 5000 */
    requestDeadlineMs: number;
    /** Each room of a `resume` is answered within this long (CHAT_RESUME_DEADLINE_MS): a catch-up may wait for the store. @defaultValue 30000 */
    resumeDeadlineMs: number;
    /** Sockets one user may hold on one instance (CHAT_MAX_CONNECTIONS_PER_USER). @defaultValue 20 */
    connectionsPerUser: number;
    /** Sockets one remote address may hold on one instance (CHAT_MAX_CONNECTIONS_PER_ADDRESS). @defaultValue 500 */
    connectionsPerAddress: number;
    /** Rooms one socket may join in all (CHAT_MAX_ROOMS_PER_SOCKET). @defaultValue 500 */
    roomsPerSocket: number;
    /** History reads one user may have in flight on one instance (CHAT_HISTORY_READS_PER_USER). @defaultValue 4 */
    historyReadsPerUser: number;
    /** History pages one instance reads from the database at once (CHAT_HISTORY_DATABASE_READS); past it OVERLOADED. @defaultValue 4 */
    historyDatabaseReads: number;
    /** Server-side limit of one history query (`maxTimeMS`) (CHAT_HISTORY_QUERY_MS); below CHAT_REQUEST_DEADLINE_MS. @defaultValue 4000 */
    historyQueryMs: number;
  };
  backup: {
    /** @defaultValue `DEFAULT_BACKUP_KEY` ('chat:backup:messages') */
    key: string;
    /** @defaultValue 250 */
    pollMs: number;
    /** @defaultValue 200 */
    initialDelayMs: number;
    /** @defaultValue 5000 */
    maxDelayMs: number;
    /** Items published per drain step. @defaultValue 200 */
    batch: number;
  };
  rateLimit: {
    /** Requests per user per window (sends, receipts, history, resume, typing together). @defaultValue 50 */
    points: number;
    /** @defaultValue 1 */
    durationSeconds: number;
  };
  presence: {
    /** Lifetime of `chat:online:{userId}` (CHAT_PRESENCE_TTL_SECONDS); renewed every half of it while the user is connected, so it disappears by itself this long after the last socket (or its instance) is gone. @defaultValue 60 */
    onlineTtlSeconds: number;
    /** A `typing: true` not repeated within this long is ended by the server with `typing: false` (CHAT_TYPING_TTL_MS). @defaultValue 5000 */
    typingTtlMs: number;
  };
  auth: AuthConfig;
  /** @defaultValue 20000 */
  drainTimeoutMs: number;
}

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

const schema = Joi.object({
  CHAT_INSTANCE_ID: Joi.string().pattern(/^[A-Za-z0-9._-]{1,100}$/),
  HOST: Joi.string().default('0.0.0.0'),
  PORT: Joi.number().port().default(8080),
  CHAT_CORS_ORIGINS: Joi.string().allow('').default(''),
  CHAT_WEB_DIR: Joi.string().default(fileURLToPath(new URL('../web/dist', import.meta.url))),
  CHAT_ROOM_API_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .allow('')
    .default('http://127.0.0.1:3002'),
  CHAT_IDENTITY_API_URL: Joi.alternatives(
    Joi.string().uri({ scheme: ['http', 'https'] }),
    Joi.string().valid('same-origin', ''),
  ),
  CHAT_SSO_LABEL: Joi.string().max(60).allow(''),
  CHAT_ROOM_EVENTS_TOPIC: Joi.string().default(TOPICS.roomEvents),
  CHAT_PUBLISH_BROKERS: Joi.string(),
  CHAT_MESSAGES_TOPIC: Joi.string().default(TOPICS.messages),
  CHAT_RECEIPTS_TOPIC: Joi.string().default(TOPICS.receipts),
  CHAT_DELIVERY_GROUP_PREFIX: Joi.string().default('chat-gateway'),
  CHAT_RECENT_CACHE_GROUP: Joi.string().default('chat-recent-cache'),
  CHAT_PERSISTENCE_GROUP: Joi.string().default('persistence'),
  CHAT_WARM_UP_MS: Joi.number().integer().min(0).default(120_000),
  CHAT_WINDOW_PER_ROOM: Joi.number().integer().min(10).default(500),
  CHAT_RECENT_CACHE_LENGTH: Joi.number().integer().min(10).default(200),
  CHAT_SEND_TIMEOUT_MS: Joi.number().integer().min(100).default(3000),
  CHAT_MAX_SENDS_IN_FLIGHT: Joi.number().integer().min(1).default(1000),
  CHAT_REQUEST_DEADLINE_MS: Joi.number().integer().greater(Joi.ref('CHAT_SEND_TIMEOUT_MS')).default(5000),
  CHAT_RESUME_DEADLINE_MS: Joi.number().integer().min(1000).default(30_000),
  CHAT_MAX_CONNECTIONS_PER_USER: Joi.number().integer().min(1).default(20),
  CHAT_MAX_CONNECTIONS_PER_ADDRESS: Joi.number().integer().min(1).default(500),
  CHAT_MAX_ROOMS_PER_SOCKET: Joi.number().integer().min(1).default(500),
  CHAT_HISTORY_READS_PER_USER: Joi.number().integer().min(1).default(4),
  CHAT_HISTORY_DATABASE_READS: Joi.number().integer().min(1).default(4),
  CHAT_HISTORY_QUERY_MS: Joi.number()
    .integer()
    .min(50)
    .less(Joi.ref('CHAT_REQUEST_DEADLINE_MS'))
    .default(4000),
  CHAT_BACKUP_KEY: Joi.string().default(DEFAULT_BACKUP_KEY),
  CHAT_BACKUP_POLL_MS: Joi.number().integer().min(10).default(250),
  CHAT_BACKUP_INITIAL_DELAY_MS: Joi.number().integer().min(10).default(200),
  CHAT_BACKUP_MAX_DELAY_MS: Joi.number().integer().min(10).default(5000),
  CHAT_BACKUP_BATCH: Joi.number().integer().min(1).max(1000).default(200),
  CHAT_RATE_LIMIT_POINTS: Joi.number().integer().min(1).default(50),
  CHAT_RATE_LIMIT_SECONDS: Joi.number().integer().min(1).default(1),
  CHAT_PRESENCE_TTL_SECONDS: Joi.number().integer().min(1).default(60),
  CHAT_TYPING_TTL_MS: Joi.number().integer().min(100).default(5000),
  CHAT_DRAIN_TIMEOUT_MS: Joi.number().integer().min(1000).default(20_000),
});

/** Parsed once at start-up; every problem is reported together (ConfigError). */
export function chatConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ChatConfig {
  const raw = parseConfig<Record<string, string | number | undefined>>(
    schema,
    env as Record<string, unknown>,
  );
  const endpoints = endpointsFromEnv(env);
  const publish = list(raw.CHAT_PUBLISH_BROKERS as string | undefined);
  return {
    instanceId:
      (raw.CHAT_INSTANCE_ID as string | undefined) ??
      `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`.replace(/[^A-Za-z0-9._-]/g, '-'),
    http: {
      host: raw.HOST as string,
      port: raw.PORT as number,
      corsOrigins: list(raw.CHAT_CORS_ORIGINS as string),
    },
    web: {
      dir: raw.CHAT_WEB_DIR as string,
      roomApiUrl: (raw.CHAT_ROOM_API_URL as string).replace(/\/+$/, ''),
      ...(raw.CHAT_IDENTITY_API_URL
        ? {
            identityApiUrl:
              raw.CHAT_IDENTITY_API_URL === 'same-origin'
                ? ''
                : (raw.CHAT_IDENTITY_API_URL as string).replace(/\/+$/, ''),
          }
        : {}),
      ...(raw.CHAT_SSO_LABEL ? { ssoLabel: raw.CHAT_SSO_LABEL as string } : {}),
    },
    roomEventsTopic: raw.CHAT_ROOM_EVENTS_TOPIC as string,
    endpoints,
    publishBrokers: publish.length ? publish : endpoints.kafkaBrokers,
    topics: { messages: raw.CHAT_MESSAGES_TOPIC as string, receipts: raw.CHAT_RECEIPTS_TOPIC as string },
    groups: {
      deliveryPrefix: raw.CHAT_DELIVERY_GROUP_PREFIX as string,
      recentCache: raw.CHAT_RECENT_CACHE_GROUP as string,
      persistence: raw.CHAT_PERSISTENCE_GROUP as string,
    },
    warmUpMs: raw.CHAT_WARM_UP_MS as number,
    windowPerRoom: raw.CHAT_WINDOW_PER_ROOM as number,
    recentCacheLength: raw.CHAT_RECENT_CACHE_LENGTH as number,
    sendTimeoutMs: raw.CHAT_SEND_TIMEOUT_MS as number,
    maxSendsInFlight: raw.CHAT_MAX_SENDS_IN_FLIGHT as number,
    limits: {
      requestDeadlineMs: raw.CHAT_REQUEST_DEADLINE_MS as number,
      resumeDeadlineMs: raw.CHAT_RESUME_DEADLINE_MS as number,
      connectionsPerUser: raw.CHAT_MAX_CONNECTIONS_PER_USER as number,
      connectionsPerAddress: raw.CHAT_MAX_CONNECTIONS_PER_ADDRESS as number,
      roomsPerSocket: raw.CHAT_MAX_ROOMS_PER_SOCKET as number,
      historyReadsPerUser: raw.CHAT_HISTORY_READS_PER_USER as number,
      historyDatabaseReads: raw.CHAT_HISTORY_DATABASE_READS as number,
      historyQueryMs: raw.CHAT_HISTORY_QUERY_MS as number,
    },
    backup: {
      key: raw.CHAT_BACKUP_KEY as string,
      pollMs: raw.CHAT_BACKUP_POLL_MS as number,
      initialDelayMs: raw.CHAT_BACKUP_INITIAL_DELAY_MS as number,
      maxDelayMs: raw.CHAT_BACKUP_MAX_DELAY_MS as number,
      batch: raw.CHAT_BACKUP_BATCH as number,
    },
    rateLimit: {
      points: raw.CHAT_RATE_LIMIT_POINTS as number,
      durationSeconds: raw.CHAT_RATE_LIMIT_SECONDS as number,
    },
    presence: {
      onlineTtlSeconds: raw.CHAT_PRESENCE_TTL_SECONDS as number,
      typingTtlMs: raw.CHAT_TYPING_TTL_MS as number,
    },
    auth: authConfigFromEnv(env),
    drainTimeoutMs: raw.CHAT_DRAIN_TIMEOUT_MS as number,
  };
}
