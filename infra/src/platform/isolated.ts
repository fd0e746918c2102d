import { createKafka, ensureTopics } from '@chat/base-listener';
import { createLogger, endpointsFromEnv, type Endpoints } from '@chat/runtime';
import { MongoClient } from 'mongodb';

export type PlatformPorts = Record<'chat' | 'room' | 'persistence', number> & { identity?: number };
type ServiceName = 'chat' | 'room' | 'persistence' | 'identity';

/**
 * One suite's own share of the shared Kafka, MongoDB and Redis: topics, consumer groups, database
 * and backup key all carry one unique prefix, so suites running the whole platform never meet.
 */
export class IsolatedPlatform {
  readonly topics: { messages: string; receipts: string; roomEvents: string };
  readonly mongoUrl: string;
  private readonly logger = createLogger('isolated-platform', process.env.TEST_LOG_LEVEL ?? 'silent');

  constructor(
    readonly id: string,
    readonly endpoints: Endpoints = endpointsFromEnv(),
  ) {
    this.topics = { messages: `${id}.messages`, receipts: `${id}.receipts`, roomEvents: `${id}.rooms` };
    const url = new URL(endpoints.mongoUrl);
    url.pathname = `/${id.replace(/-/g, '_')}`;
    this.mongoUrl = url.toString();
  }

  async createTopics(): Promise<void> {
    const admin = this.kafkaAdmin();
    await admin.connect();
    await ensureTopics(
      admin,
      Object.values(this.topics).map((name) => ({ name, partitions: 3, config: {} })),
    );
    await admin.disconnect();
  }

  /**
   * Each service's environment for these names on `ports` of `host`: with the identity service
   * when it has a port (tokens then verify by its JWKS), and the development sign-in unless
   * `devSignIn` is false (accounts only, as deployed).
   */
  serviceEnv(
    ports: PlatformPorts,
    options: { host?: string; devSignIn?: boolean } = {},
  ): Partial<Record<ServiceName, Record<string, string>>> &
    Record<'chat' | 'room' | 'persistence', Record<string, string>> {
    const host = options.host ?? '127.0.0.1';
    const url = (port: number) => `http://${host}:${port}`;
    const identityUrl = ports.identity === undefined ? undefined : url(ports.identity);
    const shared = {
      KAFKA_BROKERS: this.endpoints.kafkaBrokers.join(','),
      MONGODB_URL: this.mongoUrl,
      REDIS_URL: this.endpoints.redisUrl,
      HOST: host,
      AUTH_DEV_SIGNIN: String(options.devSignIn ?? true),
      ...(identityUrl ? { AUTH_JWKS_URL: `${identityUrl}/.well-known/jwks.json` } : {}),
      NODE_ENV: 'development',
    };
    return {
      ...(ports.identity === undefined
        ? {}
        : {
            identity: {
              ...shared,
              PORT: String(ports.identity),
              IDENTITY_PAGE_ORIGINS: url(ports.chat),
              IDENTITY_RATE_LIMIT_PREFIX: `${this.id}:sign-in`,
            },
          }),
      chat: {
        ...shared,
        PORT: String(ports.chat),
        CHAT_INSTANCE_ID: `${this.id}-gw`,
        CHAT_ROOM_API_URL: url(ports.room),
        ...(identityUrl ? { CHAT_IDENTITY_API_URL: identityUrl } : {}),
        CHAT_MESSAGES_TOPIC: this.topics.messages,
        CHAT_RECEIPTS_TOPIC: this.topics.receipts,
        CHAT_ROOM_EVENTS_TOPIC: this.topics.roomEvents,
        CHAT_DELIVERY_GROUP_PREFIX: `${this.id}-delivery`,
        CHAT_RECENT_CACHE_GROUP: `${this.id}-recent`,
        CHAT_PERSISTENCE_GROUP: `${this.id}-persistence`,
        CHAT_BACKUP_KEY: `${this.id}:backup`,
      },
      room: {
        ...shared,
        PORT: String(ports.room),
        ROOM_EVENTS_TOPIC: this.topics.roomEvents,
        ROOM_CORS_ORIGINS: url(ports.chat),
      },
      persistence: {
        ...shared,
        PERSISTENCE_HTTP_PORT: String(ports.persistence),
        PERSISTENCE_TOPICS: `${this.topics.messages},${this.topics.receipts}`,
        PERSISTENCE_GROUP_ID: `${this.id}-persistence`,
        PERSISTENCE_FLUSH_INTERVAL_MS: '50',
      },
    };
  }

  /** Drops the database and deletes every topic carrying the prefix (the services' group topics too). */
  async dropAll(): Promise<void> {
    const mongo = new MongoClient(this.mongoUrl);
    await mongo
      .db()
      .dropDatabase()
      .catch(() => undefined);
    await mongo.close();
    const admin = this.kafkaAdmin();
    await admin.connect();
    const ours = (await admin.listTopics()).filter((topic) => topic.includes(this.id));
    await admin.deleteTopics({ topics: ours }).catch(() => undefined);
    await admin.disconnect();
  }

  private kafkaAdmin() {
    return createKafka({
      brokers: this.endpoints.kafkaBrokers,
      clientId: this.id,
      logger: this.logger,
    }).admin();
  }
}
