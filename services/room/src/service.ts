import mongoose, { type Connection } from 'mongoose';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { SessionRevocations, createTokenService } from '@chat/auth';
import { Publisher } from '@chat/base-listener';
import type { HealthProbe, Logger, OpsState } from '@chat/runtime';
import { createMutex } from '@chat/room-store';
import type { RoomConfig } from './config.js';
import { createModels, ensureIndexes, type Models } from './db/models.js';
import { RoomError } from './errors.js';
import { createHttpApp } from './http/app.js';
import { startPolling, type Poller } from './lifecycle/poller.js';
import { countPendingWith } from './metrics.js';
import { OutboxDispatcher, type DispatcherHooks } from './outbox/dispatcher.js';
import { publisherSink, type PublisherSink } from './outbox/publisher-sink.js';
import { roomCommands } from './rooms/commands.js';
import { roomQueries } from './rooms/queries.js';
import { RoomStore } from './rooms/room-store.js';
import { RoomCreationSaga, type SagaHooks } from './saga/room-creation-saga.js';

export interface RoomServiceOptions {
  config: RoomConfig;
  logger: Logger;
  /** Test hooks: inject a saga step failure or stop the process at a chosen point. */
  sagaHooks?: SagaHooks;
  dispatcherHooks?: DispatcherHooks;
}

export interface RoomService {
  app: FastifyInstance;
  connection: Connection;
  models: Models;
  saga: RoomCreationSaga;
  /** Absent when DISPATCHER_ENABLED is off (another deployment publishes). */
  dispatcher: OutboxDispatcher | undefined;
  opsState: OpsState;
  /** Starts publishing and saga recovery; the caller then listens with `app.listen`. */
  start(): Promise<void>;
  /** Drains: readiness fails, HTTP closes, loops finish their pass, connections close. */
  stop(): Promise<void>;
}

/** Wires the room service from its configuration; nothing listens or polls until `start`. */
export async function createRoomService({
  config,
  logger,
  sagaHooks,
  dispatcherHooks,
}: RoomServiceOptions): Promise<RoomService> {
  const connection = await mongoose
    .createConnection(config.mongoUrl, { serverSelectionTimeoutMS: 5_000 })
    .asPromise();
  const models = createModels(connection);
  await ensureIndexes(models);
  const mutex = createMutex(connection.db!, {
    busyError: () => new RoomError('CONFLICT', 'the room is busy; try again'),
  });

  let publisher: Publisher | undefined;
  let sink: PublisherSink | undefined;
  let dispatcher: OutboxDispatcher | undefined;
  if (config.dispatcher.enabled) {
    // Few retries: a send must fail well inside the room's lease rather than outlive it.
    publisher = new Publisher({ brokers: config.kafkaBrokers, clientId: 'room-outbox', retries: 2, logger });
    sink = publisherSink(publisher);
    dispatcher = new OutboxDispatcher({
      rooms: models.rooms,
      memberships: models.memberships,
      mutex,
      sink,
      logger,
      config: config.dispatcher,
      ...(dispatcherHooks ? { hooks: dispatcherHooks } : {}),
    });
  }
  const nudge = (roomId: string) => dispatcher?.nudge(roomId);

  const saga = new RoomCreationSaga({
    ...models,
    mutex,
    logger,
    config: { owner: config.dispatcher.owner, ...config.saga },
    ...(sagaHooks ? { hooks: sagaHooks } : {}),
    onEventsWritten: nudge,
  });
  const store = new RoomStore(models.rooms, mutex, { maxRoomBacklog: config.dispatcher.maxRoomBacklog });
  const commands = roomCommands({ store, onEventsWritten: nudge });
  const queries = roomQueries(models.rooms, models.memberships);

  countPendingWith(async () => {
    const [row] = await models.rooms.aggregate<{ n: number }>([
      { $match: { outboxDueAt: { $ne: null } } },
      { $unwind: '$outbox' },
      { $match: { 'outbox.status': 'pending' } },
      { $count: 'n' },
    ]);
    return row?.n ?? 0;
  });

  // Fails fast while Redis is away (no queue, one try): the revocation check then lets tokens through.
  const redis = new Redis(config.redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 1_000,
    lazyConnect: true,
  });
  redis.on('error', () => undefined);
  const probes: Record<string, HealthProbe> = {
    mongo: async () => {
      await connection.db!.admin().ping();
      return { mongo: { ok: true } };
    },
    // Not required: while Kafka is away, changes still land in the outbox and go out later.
    ...(sink ? { kafka: () => ({ kafka: { ok: sink.isConnected(), required: false } }) } : {}),
    // Not required either: without it only sign-outs wait for their tokens' expiry.
    redis: () => ({ redis: { ok: redis.status === 'ready', required: false } }),
  };
  const opsState: OpsState = { draining: false };
  const app = createHttpApp({
    logger,
    tokens: createTokenService(config.auth),
    revocations: new SessionRevocations(redis, config.auth.accessTokenTtlSeconds),
    saga,
    commands,
    queries,
    probes,
    opsState,
    bodyLimitBytes: config.http.bodyLimitBytes,
    corsOrigins: config.http.corsOrigins,
  });

  let recovery: Poller | undefined;
  return {
    app,
    connection,
    models,
    saga,
    dispatcher,
    opsState,
    async start() {
      await redis
        .connect()
        .catch((error: unknown) =>
          logger.warn(
            { err: error },
            'Redis unavailable; signed-out sessions are not checked until it is back',
          ),
        );
      // Not awaited: with Kafka down the service still takes changes; they wait in the outbox.
      sink
        ?.connect()
        .catch((error: unknown) =>
          logger.warn({ err: error }, 'Kafka unavailable; events wait in the outbox'),
        );
      dispatcher?.start();
      recovery = startPolling(
        'saga-recovery',
        config.saga.recoveryIntervalMs,
        () => saga.recoverOnce(),
        logger,
      );
    },
    async stop() {
      opsState.draining = true;
      await app.close();
      await recovery?.stop();
      await dispatcher?.stop();
      await publisher?.disconnect();
      redis.disconnect();
      await connection.close();
    },
  };
}
