import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureTopics } from '@chat/base-listener';
import { PLATFORM_TOPICS, TOPICS } from '@chat/contracts';
import { endpointsFromEnv } from '@chat/runtime';
import { uniqueName } from '@chat/testkit';
import getPort from 'get-port';
import { Kafka, logLevel } from 'kafkajs';
import mongoose from 'mongoose';
import { spawnService, stopAll, waitUntilReady, type RunningService } from './child.js';

const MAIN = 'src/main.ts';
const SERVICES_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../../services');

export interface PlatformOptions {
  /** Gateway instances. @defaultValue 1 */
  gateways?: number;
  /** Extra environment of every gateway (e.g. CHAT_RATE_LIMIT_POINTS). @defaultValue none */
  gatewayEnv?: Record<string, string>;
  /** Node flags of every gateway process (e.g. `--cpu-prof`). @defaultValue none */
  gatewayNodeArgs?: string[];
  /**
   * Run the persistence worker. The ingress benchmark leaves it out: acks never wait for it,
   * and on a small machine its database writes would take the CPU the gateway is measured on.
   * @defaultValue true
   */
  persistence?: boolean;
  /** Where the services' logs go. */
  logDir: string;
}

/** The platform on its own topics, consumer groups, database and Redis keys, so it shares nothing with anyone. */
export interface Platform {
  gatewayUrls: string[];
  roomApiUrl: string;
  /** The run's database, as the persistence worker writes it. */
  mongoUrl: string;
  messagesTopic: string;
  services: RunningService[];
  stop(): Promise<void>;
}

/**
 * Starts gateway(s), room service and persistence worker as child processes
 * on free ports against the shared servers, with unique names for everything
 * they create; `stop()` stops them and removes the topics and the database.
 */
export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const endpoints = endpointsFromEnv();
  const suffix = uniqueName('lg');
  const mongo = new URL(endpoints.mongoUrl);
  mongo.pathname = `/${suffix.replace(/-/g, '_')}`;
  const mongoUrl = mongo.toString();
  const topics = {
    messages: `${suffix}.${TOPICS.messages}`,
    receipts: `${suffix}.${TOPICS.receipts}`,
  };
  const persistenceGroup = `${suffix}.persistence`;
  const kafka = new Kafka({
    clientId: 'loadgen-platform',
    brokers: endpoints.kafkaBrokers,
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  // Our own chat topics; the room-events topic stays the shared one (see the room service below).
  await ensureTopics(
    admin,
    PLATFORM_TOPICS.map((spec) =>
      spec.name === TOPICS.roomEvents ? spec : { ...spec, name: `${suffix}.${spec.name}` },
    ),
  );
  const shared = {
    KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
    MONGODB_URL: mongoUrl,
    REDIS_URL: endpoints.redisUrl,
    AUTH_DEV_SIGNIN: 'true',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  };
  const services: RunningService[] = [];
  const stop = async () => {
    await stopAll(services);
    const created = new Set(Object.values(topics));
    const own = (await admin.listTopics()).filter((topic) => created.has(topic) || topic.startsWith(suffix));
    await admin.deleteTopics({ topics: own }).catch(() => undefined);
    await admin.disconnect();
    const connection = await mongoose.createConnection(mongoUrl).asPromise();
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
  };
  try {
    const roomPort = await getPort();
    services.push(
      spawnService(
        {
          name: 'room',
          dir: join(SERVICES_DIR, 'room'),
          script: MAIN,
          port: roomPort,
          // The shared room-events topic: the gateway's membership listener reads only that one
          // (services/chat/src/main.ts), and room ids are unique, so nobody else's rooms are touched.
          env: { ...shared, PORT: String(roomPort) },
        },
        options.logDir,
      ),
    );
    if (options.persistence ?? true) {
      const persistencePort = await getPort();
      services.push(
        spawnService(
          {
            name: 'persistence',
            dir: join(SERVICES_DIR, 'persistence'),
            script: MAIN,
            port: persistencePort,
            env: {
              ...shared,
              PERSISTENCE_HTTP_PORT: String(persistencePort),
              PERSISTENCE_TOPICS: `${topics.messages},${topics.receipts}`,
              PERSISTENCE_GROUP_ID: persistenceGroup,
            },
          },
          options.logDir,
        ),
      );
    }
    for (let index = 0; index < (options.gateways ?? 1); index += 1) {
      const port = await getPort();
      services.push(
        spawnService(
          {
            name: `chat-${index + 1}`,
            dir: join(SERVICES_DIR, 'chat'),
            port,
            script: MAIN,
            nodeArgs: options.gatewayNodeArgs,
            env: {
              ...shared,
              PORT: String(port),
              CHAT_INSTANCE_ID: `${suffix}-gw${index + 1}`,
              CHAT_MESSAGES_TOPIC: topics.messages,
              CHAT_RECEIPTS_TOPIC: topics.receipts,
              CHAT_PERSISTENCE_GROUP: persistenceGroup,
              CHAT_RECENT_CACHE_GROUP: `${suffix}.recent-cache`,
              CHAT_DELIVERY_GROUP_PREFIX: `${suffix}.gateway`,
              CHAT_BACKUP_KEY: `chat:backup:${suffix}`,
              ...options.gatewayEnv,
            },
          },
          options.logDir,
        ),
      );
    }
    await Promise.all(services.map((service) => waitUntilReady(service)));
  } catch (error) {
    await stop();
    throw error;
  }
  const gateways = services.filter(({ spec }) => spec.name.startsWith('chat-'));
  return {
    gatewayUrls: gateways.map(({ spec }) => `http://127.0.0.1:${spec.port}`),
    roomApiUrl: `http://127.0.0.1:${services[0]!.spec.port}`,
    mongoUrl,
    messagesTopic: topics.messages,
    services,
    stop,
  };
}
