import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKafka, ensureTopics } from '@chat/base-listener';
import {
  PLATFORM_SERVICES,
  buildWebPageIfStale,
  startService,
  stopAll,
  waitUntilReady,
  type RunningService,
  type ServiceSpec,
} from '@chat/infra/platform';
import { freePort } from '@chat/infra/private-servers';
import { createLogger, endpointsFromEnv } from '@chat/runtime';
import { uniqueName } from '@chat/testkit';
import { MongoClient } from 'mongodb';

export const REPORTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '.reports');
const endpoints = endpointsFromEnv();
const logger = createLogger('browser-tests', process.env.TEST_LOG_LEVEL ?? 'silent');

/**
 * The three services as child processes on free ports, as `bin/start` runs
 * them, against the shared Kafka, MongoDB and Redis but with names of their
 * own: topics, consumer groups, database and backup key all carry one
 * unique prefix, and users and rooms are new per run.
 */
export class TestPlatform {
  readonly id = uniqueName('web');
  readonly topics = {
    messages: `${this.id}.messages`,
    receipts: `${this.id}.receipts`,
    roomEvents: `${this.id}.rooms`,
  };
  readonly mongoUrl: string;
  chatUrl = '';
  identityUrl = '';
  private services: RunningService[] = [];

  /** `devSignIn: false` runs the platform as deployed: accounts only, tokens verified by the JWKS. */
  constructor(
    private readonly options: {
      devSignIn?: boolean;
      identityEnv?: Record<string, string>;
      chatEnv?: Record<string, string>;
      /** Fixed when a test must know it before start (an OpenID provider's redirect URL). @defaultValue a free port */
      identityPort?: number;
    } = {},
  ) {
    const url = new URL(endpoints.mongoUrl);
    url.pathname = `/${this.id.replace(/-/g, '_')}`;
    this.mongoUrl = url.toString();
  }

  async start(): Promise<void> {
    await buildWebPageIfStale();
    const admin = createKafka({ brokers: endpoints.kafkaBrokers, clientId: this.id, logger }).admin();
    await admin.connect();
    await ensureTopics(
      admin,
      Object.values(this.topics).map((name) => ({ name, partitions: 3, config: {} })),
    );
    await admin.disconnect();

    const [chatPort, roomPort, persistencePort, identityPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      this.options.identityPort ?? (await freePort()),
    ];
    this.chatUrl = `http://127.0.0.1:${chatPort}`;
    this.identityUrl = `http://127.0.0.1:${identityPort}`;
    const shared = {
      KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
      MONGODB_URL: this.mongoUrl,
      REDIS_URL: endpoints.redisUrl,
      HOST: '127.0.0.1',
      AUTH_DEV_SIGNIN: String(this.options.devSignIn ?? true),
      AUTH_JWKS_URL: `${this.identityUrl}/.well-known/jwks.json`,
      NODE_ENV: 'development',
    };
    const env: Record<string, Record<string, string>> = {
      identity: {
        ...shared,
        PORT: String(identityPort),
        IDENTITY_PAGE_ORIGINS: this.chatUrl,
        IDENTITY_RATE_LIMIT_PREFIX: `${this.id}:sign-in`,
        ...this.options.identityEnv,
      },
      chat: {
        ...shared,
        PORT: String(chatPort),
        CHAT_INSTANCE_ID: `${this.id}-gw`,
        CHAT_ROOM_API_URL: `http://127.0.0.1:${roomPort}`,
        CHAT_IDENTITY_API_URL: this.identityUrl,
        CHAT_MESSAGES_TOPIC: this.topics.messages,
        CHAT_RECEIPTS_TOPIC: this.topics.receipts,
        CHAT_ROOM_EVENTS_TOPIC: this.topics.roomEvents,
        CHAT_DELIVERY_GROUP_PREFIX: `${this.id}-delivery`,
        CHAT_RECENT_CACHE_GROUP: `${this.id}-recent`,
        CHAT_PERSISTENCE_GROUP: `${this.id}-persistence`,
        CHAT_BACKUP_KEY: `${this.id}:backup`,
        ...this.options.chatEnv,
      },
      room: {
        ...shared,
        PORT: String(roomPort),
        ROOM_EVENTS_TOPIC: this.topics.roomEvents,
        ROOM_CORS_ORIGINS: this.chatUrl,
      },
      persistence: {
        ...shared,
        PERSISTENCE_HTTP_PORT: String(persistencePort),
        PERSISTENCE_TOPICS: `${this.topics.messages},${this.topics.receipts}`,
        PERSISTENCE_GROUP_ID: `${this.id}-persistence`,
        PERSISTENCE_FLUSH_INTERVAL_MS: '50',
      },
    };
    const ports: Record<string, number> = {
      chat: chatPort,
      room: roomPort,
      persistence: persistencePort,
      identity: identityPort,
    };
    const logDir = join(REPORTS_DIR, 'logs', this.id);
    mkdirSync(logDir, { recursive: true });
    this.services = PLATFORM_SERVICES.map((spec): ServiceSpec => ({
      ...spec,
      port: ports[spec.name]!,
      env: env[spec.name]!,
    })).map((spec) => startService(spec, logDir));
    await Promise.all(this.services.map((service) => waitUntilReady(service)));
  }

  async stop(): Promise<void> {
    await stopAll(this.services);
    const mongo = new MongoClient(this.mongoUrl);
    await mongo
      .db()
      .dropDatabase()
      .catch(() => undefined);
    await mongo.close();
    const admin = createKafka({ brokers: endpoints.kafkaBrokers, clientId: this.id, logger }).admin();
    await admin.connect();
    const ours = (await admin.listTopics()).filter((topic) => topic.includes(this.id));
    await admin.deleteTopics({ topics: ours }).catch(() => undefined);
    await admin.disconnect();
  }
}
