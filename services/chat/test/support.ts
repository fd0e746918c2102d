import { request as httpRequest } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTokenService } from '@chat/auth';
import { ensureTopics } from '@chat/base-listener';
import type { ChatMessage, ClientToServerEvents, SendAccepted, ServerToClientEvents } from '@chat/contracts';
import { chatModels, type ChatModels, type StoredMessage } from '@chat/message-store';
import { createMembershipView, type MembershipSource } from '@chat/membership';
import { recentKey } from '@chat/recent-cache';
import { createLogger, endpointsFromEnv } from '@chat/runtime';
import { freePort, uniqueName, waitFor } from '@chat/testkit';
import { TsChild } from '@chat/testkit/child';
import { kafkaKit, type KafkaKit } from '@chat/testkit/kafka';
import { testMongoUrl } from '@chat/testkit/mongo';
import { Redis } from 'ioredis';
import type { Kafka } from 'kafkajs';
import mongoose from 'mongoose';
import type { Counter, Registry } from 'prom-client';
import { io as connect, type Socket } from 'socket.io-client';
import { chatConfigFromEnv, type ChatConfig } from '../src/config.js';
import { createGateway, type Gateway, type GatewayDeps } from '../src/gateway.js';

export const endpoints = endpointsFromEnv();
export const logger = createLogger('chat-test', process.env.TEST_LOG_LEVEL ?? 'silent');
const here = dirname(fileURLToPath(import.meta.url));

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Everything one test file shares: its own topics, database, groups and rooms. */
export class Harness {
  readonly messagesTopic = uniqueName('chat-messages-test');
  readonly receiptsTopic = uniqueName('chat-receipts-test');
  readonly persistenceGroup = uniqueName('persistence-test');
  readonly recentGroup = uniqueName('recent-cache-test');
  readonly backupKey = uniqueName('chat:backup:test');
  readonly mongoUrl: string;
  /** The shared local Kafka unless a test brings its own (a private broker it may stop). */
  readonly brokers: string[];
  readonly rooms = new Map<string, string[]>();
  readonly blockedSenders = new Map<string, string[]>();
  readonly moderators = new Map<string, string[]>();
  readonly gateways: Gateway[] = [];
  private persistence: TsChild | undefined;
  private readonly children: TsChild[] = [];
  private readonly clients: Client[] = [];
  private readonly redisClients: Redis[] = [];
  private connection: mongoose.Connection | undefined;
  readonly kafka: Kafka;
  private readonly kit: KafkaKit;

  constructor({ brokers = endpoints.kafkaBrokers }: { brokers?: string[] } = {}) {
    this.brokers = brokers;
    this.kit = kafkaKit({ brokers, clientId: 'chat-tests', ensureTopics });
    this.kafka = this.kit.kafka;
    this.mongoUrl = testMongoUrl(endpoints.mongoUrl, 'chat_test');
  }

  env(overrides: Record<string, string> = {}): Record<string, string> {
    return {
      KAFKA_BROKERS: this.brokers.join(','),
      MONGODB_URL: this.mongoUrl,
      REDIS_URL: endpoints.redisUrl,
      NODE_ENV: 'test',
      AUTH_DEV_SIGNIN: 'true',
      CHAT_MESSAGES_TOPIC: this.messagesTopic,
      CHAT_RECEIPTS_TOPIC: this.receiptsTopic,
      CHAT_PERSISTENCE_GROUP: this.persistenceGroup,
      CHAT_DELIVERY_GROUP_PREFIX: uniqueName('chat-gateway-test'),
      CHAT_BACKUP_KEY: this.backupKey,
      CHAT_RATE_LIMIT_POINTS: '1000',
      CHAT_SEND_TIMEOUT_MS: '1500',
      // In-process gateways share the test runner's event loop, late whenever the runner is busy:
      // shedding by loop delay is off here but in the test that proves it.
      CHAT_SHED_LOOP_DELAY_MS: '0',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      ...overrides,
    };
  }

  config(overrides: Record<string, string> = {}): ChatConfig {
    return chatConfigFromEnv(this.env({ CHAT_INSTANCE_ID: uniqueName('gw'), ...overrides }));
  }

  async setUp(): Promise<void> {
    await this.kit.withAdmin((admin) =>
      ensureTopics(
        admin,
        [this.messagesTopic, this.receiptsTopic].map((name) => ({ name, partitions: 6, config: {} })),
      ),
    );
    this.connection = await mongoose.createConnection(this.mongoUrl).asPromise();
  }

  /** The persistence worker (MongoDB and the recent cache), as its own process, on this file's topics, database and groups. */
  async startPersistence(overrides: Record<string, string> = {}): Promise<void> {
    this.persistence = new TsChild('src/main.ts', {
      cwd: join(here, '../../persistence'),
      env: {
        KAFKA_BROKERS: this.brokers.join(','),
        MONGODB_URL: this.mongoUrl,
        REDIS_URL: endpoints.redisUrl,
        PERSISTENCE_TOPICS: `${this.messagesTopic},${this.receiptsTopic}`,
        PERSISTENCE_GROUP_ID: this.persistenceGroup,
        PERSISTENCE_RECENT_CACHE_GROUP: this.recentGroup,
        PERSISTENCE_RECENT_CACHE_TOPIC: this.messagesTopic,
        PERSISTENCE_HTTP_PORT: '0',
        PERSISTENCE_FLUSH_INTERVAL_MS: '50',
        LOG_LEVEL: 'warn',
        ...overrides,
      },
    });
  }

  /** The real entry point (src/main.ts) as its own process on a free port, with this file's settings; resolves once ready. */
  async gatewayProcess(
    overrides: Record<string, string>,
    readyTimeoutMs = 60_000,
  ): Promise<{ child: TsChild; port: number }> {
    const port = await freePort();
    const child = new TsChild('src/main.ts', {
      cwd: join(here, '..'),
      env: this.env({ PORT: String(port), HOST: '127.0.0.1', ...overrides }),
    });
    this.children.push(child);
    await waitFor(
      'the gateway process ready',
      async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.ok === true,
      { timeoutMs: readyTimeoutMs, intervalMs: 250 },
    );
    return { child, port };
  }

  room(members: string[], blockedSenders: string[] = [], moderators: string[] = []): string {
    const roomId = uniqueName('room');
    this.rooms.set(roomId, members);
    if (blockedSenders.length > 0) this.blockedSenders.set(roomId, blockedSenders);
    if (moderators.length > 0) this.moderators.set(roomId, moderators);
    return roomId;
  }

  /** The room service's membership view (Redis, with this file's rooms as its MongoDB-side source). */
  membership(redisUrl = endpoints.redisUrl): GatewayDeps['membership'] {
    const source: MembershipSource = {
      loadRoom: async (roomId) => {
        const members = this.rooms.get(roomId);
        if (!members) return null;
        const blockedSenderIds = this.blockedSenders.get(roomId) ?? [];
        return {
          roomId,
          version: 1,
          status: 'active',
          memberIds: members,
          blockedSenderIds,
          moderatorIds: this.moderators.get(roomId) ?? [],
        };
      },
      loadRoomsOf: async (userId) =>
        [...this.rooms].filter(([, m]) => m.includes(userId)).map(([roomId]) => roomId),
    };
    const redis = new Redis(redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: 500,
    });
    redis.on('error', () => undefined);
    this.redisClients.push(redis);
    return createMembershipView({ redis, source, logger });
  }

  async gateway(
    overrides: Record<string, string> = {},
    deps: Partial<GatewayDeps> = {},
  ): Promise<{ gateway: Gateway; port: number; config: ChatConfig }> {
    const config = this.config(overrides);
    const gateway = createGateway(config, {
      logger,
      membership: this.membership(config.endpoints.redisUrl),
      ...deps,
    });
    await gateway.start();
    const port = await gateway.listen(0, '127.0.0.1');
    this.gateways.push(gateway);
    return { gateway, port, config };
  }

  async token(userId: string): Promise<string> {
    return createTokenService(this.config().auth).mintDevToken({ userId, name: userId });
  }

  /** A connected client; `auth` null connects without a token. */
  async client(port: number, userId: string | null, token?: string): Promise<Client> {
    const auth = userId === null ? {} : { token: token ?? (await this.token(userId)) };
    const client: Client = connect(`http://127.0.0.1:${port}`, {
      auth,
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    this.clients.push(client);
    return client;
  }

  async connected(port: number, userId: string): Promise<Client> {
    const client = await this.client(port, userId);
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('connect_error', reject);
    });
    return client;
  }

  /** This file's database, for assertions on what the worker stored. */
  models(): ChatModels {
    return chatModels(this.connection!);
  }

  async stored(roomId: string): Promise<StoredMessage[]> {
    return chatModels(this.connection!)
      .Message.find({ roomId })
      .sort({ position: 1 })
      .lean<StoredMessage[]>()
      .exec();
  }

  async storedCount(filter: Record<string, unknown>): Promise<number> {
    return chatModels(this.connection!).Message.countDocuments(filter).exec();
  }

  /** On a timeout the error says how many were stored and what the persistence worker last logged, so a slow recovery can be told from a lost write. */
  async waitStored(roomId: string, count: number, timeoutMs = 30_000): Promise<StoredMessage[]> {
    let seen = 0;
    try {
      return await waitFor(
        `${count} stored messages in ${roomId}`,
        async () => {
          const stored = await this.stored(roomId);
          seen = stored.length;
          return stored.length >= count && stored;
        },
        { timeoutMs, intervalMs: 100 },
      );
    } catch (error) {
      const said = this.persistence?.lines.slice(-20).join('\n') ?? '(persistence not started here)';
      throw new Error(`${(error as Error).message} (${seen} stored); persistence said:\n${said}`, {
        cause: error,
      });
    }
  }

  /** Waits until the recent cache (written by the persistence process, not the gateway) ends with `messageId`. */
  async waitCached(roomId: string, messageId: string, timeoutMs = 30_000): Promise<void> {
    const redis = new Redis(endpoints.redisUrl);
    try {
      await waitFor(
        `${messageId} in the recent cache of ${roomId}`,
        async () =>
          (await redis.lindex(recentKey(roomId), -1))?.includes(`"messageId":"${messageId}"`) === true,
        { timeoutMs, intervalMs: 100 },
      );
    } finally {
      redis.disconnect();
    }
  }

  async tearDown(): Promise<void> {
    for (const client of this.clients) client.disconnect();
    await Promise.allSettled(this.gateways.map((gateway) => gateway.stop()));
    await Promise.all(this.children.map((child) => child.kill()));
    await this.persistence?.stop();
    for (const redis of this.redisClients) redis.disconnect();
    await this.connection?.dropDatabase().catch(() => undefined);
    await this.connection?.close();
    const topics = (await this.kit.withAdmin((admin) => admin.listTopics())).filter(
      (topic) =>
        topic === this.messagesTopic || topic === this.receiptsTopic || topic.startsWith(this.recentGroup),
    );
    await this.kit.deleteTopics(topics);
  }
}

/** Unique user ids for one test file, one per name. */
export const uniqueUsers = <const N extends readonly string[]>(...names: N): { [K in keyof N]: string } =>
  names.map((name) => uniqueName(name)) as { [K in keyof N]: string };

/** Collects a client's `message` events. */
export function inbox(client: Client): ChatMessage[] {
  const received: ChatMessage[] = [];
  client.on('message', (message) => received.push(message));
  return received;
}

export function emitAck<E extends 'send' | 'edit' | 'delete' | 'resume' | 'history' | 'receipt' | 'unread'>(
  client: Client,
  event: E,
  payload: Parameters<ClientToServerEvents[E]>[0],
): Promise<Parameters<Parameters<ClientToServerEvents[E]>[1]>[0]> {
  return new Promise((resolve) => {
    (client.emit as (event: string, payload: unknown, ack: (reply: unknown) => void) => void)(
      event,
      payload,
      (reply) => resolve(reply as Parameters<Parameters<ClientToServerEvents[E]>[1]>[0]),
    );
  });
}

/**
 * A send as a well-behaved client makes it: a retryable refusal (OVERLOADED on a busy
 * machine, RATE_LIMITED) is retried with the same clientMessageId after its retryAfterMs.
 */
export async function sendAccepted(
  client: Client,
  payload: Parameters<ClientToServerEvents['send']>[0],
): Promise<SendAccepted> {
  for (;;) {
    const reply = await emitAck(client, 'send', payload);
    if (!('error' in reply)) return reply;
    if (!reply.error.retryable) throw new Error(`send refused: ${reply.error.code}`);
    await new Promise((resolve) => setTimeout(resolve, reply.error.retryAfterMs ?? 200));
  }
}

/** A raw request: the URL goes on the wire as written (fetch would normalise or refuse it). */
export function rawHttp(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; text: string; type: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, text, type: String(response.headers['content-type']) }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

export { waitFor };

/** A counter's value in `registry`, summed over the label sets matching `labels`. */
export async function counted(
  registry: Registry,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const metric = registry.getSingleMetric(name) as Counter | undefined;
  const values = (await metric?.get())?.values ?? [];
  return values
    .filter((entry) => Object.entries(labels).every(([key, value]) => entry.labels[key] === value))
    .reduce((sum, entry) => sum + entry.value, 0);
}

export const positions = (items: readonly { position: number }[]): number[] =>
  items.map((item) => item.position);
