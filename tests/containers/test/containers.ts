import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKafka, ensureTopics } from '@chat/base-listener';
import {
  IMAGE_SERVICES,
  buildImages,
  podman,
  ulimitArgs,
  type BuiltImage,
  type ImageService,
} from '@chat/infra/images';
import { freePort } from '@chat/infra/private-servers';
import { OPS_PATHS, createLogger, endpointsFromEnv } from '@chat/runtime';
import { uniqueName, waitFor } from '@chat/testkit';
import { MongoClient } from 'mongodb';

const REPORTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '.reports');
const endpoints = endpointsFromEnv();
const logger = createLogger('container-tests', process.env.TEST_LOG_LEVEL ?? 'silent');

/** How long `podman stop` waits after SIGTERM before it kills: well above every drain timeout set below. */
const STOP_TIMEOUT_SECONDS = 40;

/**
 * The three images as containers on the host network, against the shared Kafka, MongoDB and Redis
 * with names of their own (topics, groups, database, backup key: one unique prefix), each on a
 * free port, locked down as Kubernetes runs them: read-only root, /tmp a tmpfs, no capabilities.
 */
export class ContainerPlatform {
  readonly id = uniqueName('images');
  readonly topics = {
    messages: `${this.id}.messages`,
    receipts: `${this.id}.receipts`,
    roomEvents: `${this.id}.rooms`,
  };
  readonly mongoUrl: string;
  readonly urls = {} as Record<ImageService, string>;
  built: BuiltImage[] = [];
  private started: string[] = [];

  constructor() {
    const url = new URL(endpoints.mongoUrl);
    url.pathname = `/${this.id.replace(/-/g, '_')}`;
    this.mongoUrl = url.toString();
  }

  containerOf(service: ImageService): string {
    return `${this.id}-${service}`;
  }

  async build(): Promise<void> {
    this.built = await buildImages((message) => logger.info(message));
  }

  async start(): Promise<void> {
    const admin = createKafka({ brokers: endpoints.kafkaBrokers, clientId: this.id, logger }).admin();
    await admin.connect();
    await ensureTopics(
      admin,
      Object.values(this.topics).map((name) => ({ name, partitions: 3, config: {} })),
    );
    await admin.disconnect();

    const ports = { chat: await freePort(), room: await freePort(), persistence: await freePort() };
    for (const service of IMAGE_SERVICES) this.urls[service] = `http://127.0.0.1:${ports[service]}`;
    const shared = {
      KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
      MONGODB_URL: this.mongoUrl,
      REDIS_URL: endpoints.redisUrl,
      HOST: '127.0.0.1',
      AUTH_DEV_SIGNIN: 'true',
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
    };
    const env: Record<ImageService, Record<string, string>> = {
      chat: {
        ...shared,
        PORT: String(ports.chat),
        CHAT_INSTANCE_ID: `${this.id}-gw`,
        CHAT_ROOM_API_URL: this.urls.room,
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
        ROOM_CORS_ORIGINS: this.urls.chat,
      },
      persistence: {
        ...shared,
        PERSISTENCE_HTTP_PORT: String(ports.persistence),
        PERSISTENCE_TOPICS: `${this.topics.messages},${this.topics.receipts}`,
        PERSISTENCE_GROUP_ID: `${this.id}-persistence`,
        PERSISTENCE_FLUSH_INTERVAL_MS: '50',
      },
    };
    const limits = await ulimitArgs();
    for (const service of IMAGE_SERVICES) {
      const name = this.containerOf(service);
      await podman([
        'run',
        '--detach',
        '--name',
        name,
        '--network',
        'host',
        '--read-only',
        '--tmpfs',
        '/tmp',
        '--cap-drop',
        'ALL',
        '--security-opt',
        'no-new-privileges',
        ...limits,
        ...Object.entries(env[service]).flatMap(([key, value]) => ['--env', `${key}=${value}`]),
        this.built.find((image) => image.service === service)!.references[0]!,
      ]);
      this.started.push(name);
    }
  }

  /** Waits until the service's readiness endpoint answers 200; fails early when its container exited. */
  async waitUntilReady(service: ImageService): Promise<void> {
    await waitFor(
      `${service} container ready`,
      async () => {
        const state = await this.state(service);
        if (state.status === 'exited')
          throw new Error(`the ${service} container exited with ${state.exitCode}`);
        const response = await fetch(`${this.urls[service]}${OPS_PATHS.readiness}`).catch(() => undefined);
        return response?.status === 200;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
  }

  async state(service: ImageService): Promise<{ status: string; exitCode: number }> {
    const [status, exitCode] = (
      await podman([
        'inspect',
        '--format',
        '{{.State.Status}} {{.State.ExitCode}}',
        this.containerOf(service),
      ])
    )
      .trim()
      .split(' ');
    return { status: status!, exitCode: Number(exitCode) };
  }

  /** `podman stop`: SIGTERM to the container's PID 1 (node), SIGKILL only after the timeout. */
  async stop(service: ImageService): Promise<{ exitCode: number; seconds: number }> {
    const started = Date.now();
    await podman(['stop', '--time', String(STOP_TIMEOUT_SECONDS), this.containerOf(service)]);
    return { exitCode: (await this.state(service)).exitCode, seconds: (Date.now() - started) / 1000 };
  }

  async logs(service: ImageService): Promise<string> {
    return podman(['logs', this.containerOf(service)]).catch((error: Error) => error.message);
  }

  /** Keeps each container's log in .reports, removes the containers, the database and the topics. */
  async tearDown(): Promise<void> {
    const logDir = join(REPORTS_DIR, 'logs', this.id);
    mkdirSync(logDir, { recursive: true });
    for (const service of IMAGE_SERVICES) {
      if (!this.started.includes(this.containerOf(service))) continue;
      writeFileSync(join(logDir, `${service}.log`), await this.logs(service));
      await podman(['rm', '--force', this.containerOf(service)]).catch(() => undefined);
    }
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
