import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import Joi from 'joi';
import { authConfigFromEnv, type AuthConfig } from '@chat/auth';
import { endpointsFromEnv, parseConfig, type Endpoints } from '@chat/runtime';
import { CHAT_ENV } from '@chat/service-env';

export const DELIVERY_MODES = ['fan-out', 'room-feeds'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

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
  /**
   * How records reach this instance's sockets (CHAT_DELIVERY_MODE): `fan-out`, every instance reads
   * every partition in a group of its own; `room-feeds`, each partition is read once, by its owner in
   * one shared group, which publishes each record to its room's Redis feed, and an instance subscribes
   * to the feeds of the rooms its sockets are in. @defaultValue 'fan-out'
   */
  deliveryMode: DeliveryMode;
  groups: {
    /** Prefix of each instance's own delivery group: `<prefix>.<instanceId>`. @defaultValue 'chat-gateway' */
    deliveryPrefix: string;
    /** The partition owners' one group (`room-feeds` delivery). @defaultValue 'chat-delivery-owners' */
    deliveryOwners: string;
    /** The persistence worker's group, whose committed offsets say what MongoDB holds. @defaultValue 'persistence' */
    persistence: string;
  };
  /** The delivery consumer starts this far back, so its memory window covers recent reconnects. @defaultValue 120000 */
  warmUpMs: number;
  /** Messages kept in memory per room. @defaultValue 500 */
  windowPerRoom: number;
  /** Length of `chat:recent:{roomId}` when this instance repairs an empty one; the writer's own is the persistence worker's. @defaultValue 200 */
  recentCacheLength: number;
  /** A Kafka publish slower than this counts as failed and the message goes to the backup queue. @defaultValue 3000 */
  sendTimeoutMs: number;
  /** How long a send after a quiet spell waits for others to share its Kafka request. @defaultValue 2 */
  publishLingerMs: number;
  /**
   * Sends this instance works on at once (CHAT_MAX_SENDS_IN_FLIGHT); past it a send is refused at
   * once with OVERLOADED, so an overloaded instance keeps answering instead of timing everything
   * out. Ack latency stays near this bound ÷ the instance's throughput. @defaultValue 1000
   */
  maxSendsInFlight: number;
  /**
   * Once the event loop runs more than this many ms late, smoothed over its last few 20 ms ticks
   * (CHAT_SHED_LOOP_DELAY_MS), a share of new sends is refused with OVERLOADED, rising in proportion
   * to every new send at four times this lateness: a saturated CPU otherwise makes every Redis reply
   * and Kafka send late, past its timeout, and the instance falls back to its slow paths. 0 turns it
   * off. @defaultValue 50
   */
  shedLoopDelayMs: number;
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

const E = CHAT_ENV;
const schema = Joi.object({
  [E.instanceId.name]: Joi.string().pattern(/^[A-Za-z0-9._-]{1,100}$/),
  [E.host.name]: Joi.string().default(E.host.default),
  [E.port.name]: Joi.number().port().default(E.port.default),
  [E.corsOrigins.name]: Joi.string().allow('').default(E.corsOrigins.default),
  [E.webDir.name]: Joi.string().default(fileURLToPath(new URL('../web/dist', import.meta.url))),
  [E.roomApiUrl.name]: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .allow('')
    .default(E.roomApiUrl.default),
  [E.roomEventsTopic.name]: Joi.string().default(E.roomEventsTopic.default),
  [E.identityApiUrl.name]: Joi.alternatives(
    Joi.string().uri({ scheme: ['http', 'https'] }),
    Joi.string().valid('same-origin', ''),
  ),
  [E.ssoLabel.name]: Joi.string().max(60).allow(''),
  [E.publishBrokers.name]: Joi.string(),
  [E.messagesTopic.name]: Joi.string().default(E.messagesTopic.default),
  [E.receiptsTopic.name]: Joi.string().default(E.receiptsTopic.default),
  [E.deliveryMode.name]: Joi.string()
    .valid(...DELIVERY_MODES)
    .default(E.deliveryMode.default),
  [E.deliveryGroupPrefix.name]: Joi.string().default(E.deliveryGroupPrefix.default),
  [E.deliveryOwnersGroup.name]: Joi.string().default(E.deliveryOwnersGroup.default),
  [E.persistenceGroup.name]: Joi.string().default(E.persistenceGroup.default),
  [E.warmUpMs.name]: Joi.number().integer().min(0).default(E.warmUpMs.default),
  [E.windowPerRoom.name]: Joi.number().integer().min(10).default(E.windowPerRoom.default),
  [E.recentCacheLength.name]: Joi.number().integer().min(10).default(E.recentCacheLength.default),
  [E.sendTimeoutMs.name]: Joi.number().integer().min(100).default(E.sendTimeoutMs.default),
  [E.publishLingerMs.name]: Joi.number().integer().min(0).max(100).default(E.publishLingerMs.default),
  [E.maxSendsInFlight.name]: Joi.number().integer().min(1).default(E.maxSendsInFlight.default),
  [E.shedLoopDelayMs.name]: Joi.number().integer().min(0).default(E.shedLoopDelayMs.default),
  [E.requestDeadlineMs.name]: Joi.number()
    .integer()
    .greater(Joi.ref(E.sendTimeoutMs.name))
    .default(E.requestDeadlineMs.default),
  [E.resumeDeadlineMs.name]: Joi.number().integer().min(1000).default(E.resumeDeadlineMs.default),
  [E.maxConnectionsPerUser.name]: Joi.number().integer().min(1).default(E.maxConnectionsPerUser.default),
  [E.maxConnectionsPerAddress.name]: Joi.number()
    .integer()
    .min(1)
    .default(E.maxConnectionsPerAddress.default),
  [E.maxRoomsPerSocket.name]: Joi.number().integer().min(1).default(E.maxRoomsPerSocket.default),
  [E.historyReadsPerUser.name]: Joi.number().integer().min(1).default(E.historyReadsPerUser.default),
  [E.historyDatabaseReads.name]: Joi.number().integer().min(1).default(E.historyDatabaseReads.default),
  [E.historyQueryMs.name]: Joi.number()
    .integer()
    .min(50)
    .less(Joi.ref(E.requestDeadlineMs.name))
    .default(E.historyQueryMs.default),
  [E.backupKey.name]: Joi.string().default(E.backupKey.default),
  [E.backupPollMs.name]: Joi.number().integer().min(10).default(E.backupPollMs.default),
  [E.backupInitialDelayMs.name]: Joi.number().integer().min(10).default(E.backupInitialDelayMs.default),
  [E.backupMaxDelayMs.name]: Joi.number().integer().min(10).default(E.backupMaxDelayMs.default),
  [E.backupBatch.name]: Joi.number().integer().min(1).max(1000).default(E.backupBatch.default),
  [E.rateLimitPoints.name]: Joi.number().integer().min(1).default(E.rateLimitPoints.default),
  [E.rateLimitSeconds.name]: Joi.number().integer().min(1).default(E.rateLimitSeconds.default),
  [E.presenceTtlSeconds.name]: Joi.number().integer().min(1).default(E.presenceTtlSeconds.default),
  [E.typingTtlMs.name]: Joi.number().integer().min(100).default(E.typingTtlMs.default),
  [E.drainTimeoutMs.name]: Joi.number().integer().min(1000).default(E.drainTimeoutMs.default),
});

/** Parsed once at start-up; every problem is reported together (ConfigError). */
export function chatConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ChatConfig {
  const raw = parseConfig<Record<string, string | number | undefined>>(
    schema,
    env as Record<string, unknown>,
  );
  const endpoints = endpointsFromEnv(env);
  const publish = list(raw[E.publishBrokers.name] as string | undefined);
  return {
    instanceId:
      (raw[E.instanceId.name] as string | undefined) ??
      `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`.replace(/[^A-Za-z0-9._-]/g, '-'),
    http: {
      host: raw[E.host.name] as string,
      port: raw[E.port.name] as number,
      corsOrigins: list(raw[E.corsOrigins.name] as string),
    },
    web: {
      dir: raw[E.webDir.name] as string,
      roomApiUrl: (raw[E.roomApiUrl.name] as string).replace(/\/+$/, ''),
      ...(raw[E.identityApiUrl.name]
        ? {
            identityApiUrl:
              raw[E.identityApiUrl.name] === 'same-origin'
                ? ''
                : (raw[E.identityApiUrl.name] as string).replace(/\/+$/, ''),
          }
        : {}),
      ...(raw[E.ssoLabel.name] ? { ssoLabel: raw[E.ssoLabel.name] as string } : {}),
    },
    roomEventsTopic: raw[E.roomEventsTopic.name] as string,
    endpoints,
    publishBrokers: publish.length ? publish : endpoints.kafkaBrokers,
    topics: { messages: raw[E.messagesTopic.name] as string, receipts: raw[E.receiptsTopic.name] as string },
    deliveryMode: raw[E.deliveryMode.name] as DeliveryMode,
    groups: {
      deliveryPrefix: raw[E.deliveryGroupPrefix.name] as string,
      deliveryOwners: raw[E.deliveryOwnersGroup.name] as string,
      persistence: raw[E.persistenceGroup.name] as string,
    },
    warmUpMs: raw[E.warmUpMs.name] as number,
    windowPerRoom: raw[E.windowPerRoom.name] as number,
    recentCacheLength: raw[E.recentCacheLength.name] as number,
    sendTimeoutMs: raw[E.sendTimeoutMs.name] as number,
    publishLingerMs: raw[E.publishLingerMs.name] as number,
    maxSendsInFlight: raw[E.maxSendsInFlight.name] as number,
    shedLoopDelayMs: raw[E.shedLoopDelayMs.name] as number,
    limits: {
      requestDeadlineMs: raw[E.requestDeadlineMs.name] as number,
      resumeDeadlineMs: raw[E.resumeDeadlineMs.name] as number,
      connectionsPerUser: raw[E.maxConnectionsPerUser.name] as number,
      connectionsPerAddress: raw[E.maxConnectionsPerAddress.name] as number,
      roomsPerSocket: raw[E.maxRoomsPerSocket.name] as number,
      historyReadsPerUser: raw[E.historyReadsPerUser.name] as number,
      historyDatabaseReads: raw[E.historyDatabaseReads.name] as number,
      historyQueryMs: raw[E.historyQueryMs.name] as number,
    },
    backup: {
      key: raw[E.backupKey.name] as string,
      pollMs: raw[E.backupPollMs.name] as number,
      initialDelayMs: raw[E.backupInitialDelayMs.name] as number,
      maxDelayMs: raw[E.backupMaxDelayMs.name] as number,
      batch: raw[E.backupBatch.name] as number,
    },
    rateLimit: {
      points: raw[E.rateLimitPoints.name] as number,
      durationSeconds: raw[E.rateLimitSeconds.name] as number,
    },
    presence: {
      onlineTtlSeconds: raw[E.presenceTtlSeconds.name] as number,
      typingTtlMs: raw[E.typingTtlMs.name] as number,
    },
    auth: authConfigFromEnv(env),
    drainTimeoutMs: raw[E.drainTimeoutMs.name] as number,
  };
}
