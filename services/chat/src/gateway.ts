import { createServer, type Server as HttpServer } from 'node:http';
import { DownstreamBreaker, createKafka } from '@chat/base-listener';
import { SessionRevocations, createTokenService } from '@chat/auth';
import { MAX_SOCKET_PAYLOAD_BYTES } from '@chat/contracts';
import { chatModels } from '@chat/message-store';
import { RecentCache } from '@chat/recent-cache';
import { opsRoutes, type HealthProbe, type Logger, type OpsState } from '@chat/runtime';
import { Redis } from 'ioredis';
import mongoose from 'mongoose';
import { Registry, register } from 'prom-client';
import { Server } from 'socket.io';
import { SessionWatch } from './auth/session-watch.js';
import { socketAuth } from './auth/socket-auth.js';
import { UserNoticeRelay } from './auth/user-notices.js';
import { BackupQueue } from './backup-queue/backup-queue.js';
import { CatchUp } from './catch-up/catch-up.js';
import { CommittedOffsets } from './catch-up/committed-offsets.js';
import type { ChatConfig } from './config.js';
import { heldDecoder } from './delivery/decode-record.js';
import { PublishedEvents } from './decoding/published-events.js';
import { DeliveryConsumer } from './delivery/delivery-consumer.js';
import type { DeliverySink, RecordOutcome } from './delivery/delivery-records.js';
import { RoomFeedDelivery } from './delivery/feeds/room-feed-delivery.js';
import type { LiveDelivery } from './delivery/live-delivery.js';
import { RoomWindows } from './delivery/room-windows.js';
import { HistoryService } from './history/history.js';
import { LoopDelay } from './limits/loop-delay.js';
import { MessageChangeService } from './message-changes/change-service.js';
import { httpApi } from './http/router.js';
import { webClient } from './http/web-client.js';
import { connectionCaps } from './limits/connection-caps.js';
import { PerKeyConcurrency } from './limits/per-key-concurrency.js';
import { CachedMembership, type MembershipCheck } from './membership/membership.js';
import { gatewayMetrics } from './metrics.js';
import { OnlineUsers } from './presence/online-users.js';
import { EphemeralBus, TypingExpiry } from './presence/presence.js';
import { UserRateLimiter } from './rate-limit/rate-limit.js';
import { ReceiptService } from './receipts/receipts.js';
import { kafkaEventPublisher, type EventPublisher } from './send/publisher-port.js';
import { SendReservations } from './send/reservation.js';
import { SendAdmission } from './send/admission.js';
import { SendService } from './send/send-service.js';
import { errorBody } from './socket/errors.js';
import { localRooms } from './socket/local-rooms.js';
import { resyncRoom } from './socket/resync.js';
import { UnreadService } from './unread/unread-service.js';
import { attachHandlers, socketRoom, userRoom, type ChatServer } from './socket/handlers.js';

export interface GatewayDeps {
  logger: Logger;
  /** Who may read and write which room (production: the room service's membership view). */
  membership: MembershipCheck;
  /** Called with a function that drops this instance's cached answers for a room, when membership changes. @defaultValue none */
  onMembershipChange?: (forget: (roomId: string) => void) => void;
  /** Replaces the Kafka publisher of the send path (tests inject outages here). @defaultValue the kit's Publisher */
  publisher?: EventPublisher;
  /** @defaultValue a registry of its own */
  registry?: Registry;
}

export interface MembershipChange {
  roomId: string;
  addedUserIds: readonly string[];
  removedUserIds: readonly string[];
}

export interface Gateway {
  readonly server: HttpServer;
  readonly io: ChatServer;
  readonly instanceId: string;
  /** Connects Redis, MongoDB and Kafka and starts the consumers; does not listen. */
  start(): Promise<void>;
  /** Listens on `port` (0 in tests) and resolves the bound port. */
  listen(port: number, host?: string): Promise<number>;
  /** Graceful: unready, tells clients to reconnect elsewhere, drains publishes, closes everything. */
  stop(): Promise<void>;
  /** Records not yet consumed by this instance's delivery consumer. */
  deliveryLag(): number;
  /** Whether the delivery consumer has read its warm-up window (required for readiness). */
  deliveryWarmedUp(): boolean;
  /**
   * A room's members changed (every instance hears it): removed members'
   * sockets here leave the room's live stream at once, and the added, the
   * removed and the sockets still in the room are told to refresh their room
   * list (`rooms-changed`).
   */
  membershipChanged(change: MembershipChange): void;
  /** A part of this process stopped for good (a consumer KafkaJS will not restart): liveness fails. */
  markDead(reason: string): void;
}

const redisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  commandTimeout: 1_000,
  enableAutoPipelining: true,
  lazyConnect: true,
};

/** Builds one gateway instance: HTTP + Socket.IO, the send, deliver, recover, history, receipt and presence paths. */
export function createGateway(config: ChatConfig, deps: GatewayDeps): Gateway {
  const log = deps.logger.child({ instanceId: config.instanceId });
  const registry = deps.registry ?? new Registry();
  const loopDelay = new LoopDelay(config.shedLoopDelayMs);
  const metrics = gatewayMetrics(registry, { shedShare: () => loopDelay.shedShare });
  const ops: OpsState = { draining: false };
  const markDead = (reason: string) => {
    ops.dead ??= reason;
    log.fatal({ reason }, 'a consumer stopped for good; liveness now fails so the process is restarted');
  };

  const redis = new Redis(config.endpoints.redisUrl, redisOptions);
  const redisPub = new Redis(config.endpoints.redisUrl, redisOptions);
  const subscriberOptions = { ...redisOptions, commandTimeout: undefined, enableAutoPipelining: false };
  const redisSub = new Redis(config.endpoints.redisUrl, subscriberOptions);
  // The room feeds' subscriptions (room-feeds delivery only): a reconnect of it restarts every feed.
  const redisFeeds =
    config.deliveryMode === 'room-feeds'
      ? new Redis(config.endpoints.redisUrl, {
          ...subscriberOptions,
          connectionName: `chat-feeds.${config.instanceId}`,
        })
      : undefined;
  const redisClients = [redis, redisPub, redisSub, ...(redisFeeds ? [redisFeeds] : [])];
  for (const client of redisClients) client.on('error', () => undefined);
  const connection = mongoose.createConnection(config.endpoints.mongoUrl, {
    serverSelectionTimeoutMS: 3_000,
  });
  const models = chatModels(connection);

  const tokens = createTokenService(config.auth);
  const revocations = new SessionRevocations(redis, config.auth.accessTokenTtlSeconds);
  const membership = new CachedMembership(deps.membership);
  const decodes = {
    published: metrics.decodes.labels('published'),
    parsed: metrics.decodes.labels('parsed'),
  };
  const published = new PublishedEvents((source) => decodes[source].inc());
  const decode = (value: Buffer) => published.decode(value);
  deps.onMembershipChange?.((roomId) => membership.forget(roomId));
  const publisher =
    deps.publisher ??
    kafkaEventPublisher({
      brokers: config.publishBrokers,
      clientId: `chat-gateway.${config.instanceId}`,
      logger: log,
      registry,
      sendTimeoutMs: config.sendTimeoutMs,
      lingerMs: config.publishLingerMs,
      onSerialized: (event, value) => published.remember(event, value),
    });
  const breaker = new DownstreamBreaker('kafka-publish', {
    errorThresholdPercentage: 50,
    volumeThreshold: 3,
    resetTimeoutMs: 2_000,
    rollingCountTimeoutMs: 10_000,
  });
  const backup = new BackupQueue(
    redis,
    publisher,
    {
      ...config.backup,
      instanceId: config.instanceId,
      topic: config.topics.messages,
      publishTimeoutMs: config.sendTimeoutMs,
    },
    log.child({ component: 'backup-queue' }),
    (depth) => metrics.backupDepth.set(depth),
  );
  const reservations = new SendReservations(redis);
  const sends = new SendService({
    membership,
    reservations,
    publisher,
    breaker,
    backup,
    topic: config.topics.messages,
    sendTimeoutMs: config.sendTimeoutMs,
    logger: log,
    onOutcome: (outcome) => metrics.sends.inc({ outcome }),
  });

  const cache = new RecentCache(redis, config.recentCacheLength);
  const history = new HistoryService(cache, models, log, {
    pageQueryMs: config.limits.historyQueryMs,
    // A catch-up's pages may take as long as its room's resume deadline.
    rangeQueryMs: config.limits.resumeDeadlineMs,
    databasePages: config.limits.historyDatabaseReads,
  });
  const historyReads = new PerKeyConcurrency(config.limits.historyReadsPerUser);
  const unread = new UnreadService({ redis, models, membership, queryMs: config.limits.historyQueryMs });
  const deliveryLog = log.child({ component: 'delivery' });
  const windows = new RoomWindows(config.windowPerRoom, heldDecoder(deliveryLog, decode));
  const receipts = new ReceiptService({
    redis,
    membership,
    publisher,
    breaker,
    topic: config.topics.receipts,
    timeoutMs: config.sendTimeoutMs,
    windows,
    history,
  });
  const limiter = new UserRateLimiter(redis, config.rateLimit);
  const admission = new SendAdmission(config.maxSendsInFlight, () => loopDelay.shedShare);
  const bus = new EphemeralBus(redisPub, redisSub, log);
  const onlineTtl = config.presence.onlineTtlSeconds;
  const online = new OnlineUsers(redisPub, onlineTtl);

  const server = createServer();
  const io: ChatServer = new Server(server, {
    maxHttpBufferSize: MAX_SOCKET_PAYLOAD_BYTES,
    cors: { origin: config.http.corsOrigins.length ? config.http.corsOrigins : false },
    // Recovery of missed packets is the position-based catch-up's job, not Socket.IO's.
    connectionStateRecovery: undefined,
  });
  const hasLocalSockets = localRooms(io);

  const kafkaAdmin = createKafka({
    brokers: config.endpoints.kafkaBrokers,
    clientId: `chat-gateway-admin.${config.instanceId}`,
    logger: log,
  }).admin();
  const sink: DeliverySink = {
    // io.local: this instance's sockets only; each instance gets its records itself (Kafka or its feeds).
    message: (message) => {
      io.local.to(socketRoom(message.roomId)).emit('message', message);
      metrics.deliverySeconds.observe(Math.max(0, Date.now() - Date.parse(message.sentAt)) / 1000);
    },
    update: (update) => io.local.to(socketRoom(update.roomId)).emit('message-updated', update),
    receipt: (notice) => io.local.to(socketRoom(notice.roomId)).emit('receipt', notice),
  };
  const onRecords = (topic: string, outcome: RecordOutcome, count: number) =>
    metrics.deliveryRecords.inc({ topic, outcome }, count);
  const delivery: LiveDelivery = redisFeeds
    ? new RoomFeedDelivery(
        {
          brokers: config.endpoints.kafkaBrokers,
          ownersGroup: config.groups.deliveryOwners,
          messagesTopic: config.topics.messages,
          receiptsTopic: config.topics.receipts,
          redis,
          subscriber: redisFeeds,
          admin: kafkaAdmin,
          hasLocalSockets,
          decode,
          logger: deliveryLog,
          onDead: markDead,
          onGap: (roomId) => {
            metrics.feedRestarts.inc();
            resyncRoom(io, roomId);
          },
          onPublished: (topic, count) => metrics.feedPublished.inc({ topic }, count),
          onRecord: (topic, outcome) => onRecords(topic, outcome, 1),
        },
        windows,
        sink,
      )
    : new DeliveryConsumer(
        {
          brokers: config.endpoints.kafkaBrokers,
          groupId: `${config.groups.deliveryPrefix}.${config.instanceId}`,
          messagesTopic: config.topics.messages,
          receiptsTopic: config.topics.receipts,
          warmUpMs: config.warmUpMs,
          logger: deliveryLog,
          onDead: markDead,
          hasLocalSockets,
          decode,
          onRecords,
        },
        windows,
        sink,
      );
  const persisted = new CommittedOffsets(kafkaAdmin, config.groups.persistence, config.topics.messages);
  const catchUp = new CatchUp({ windows, cache, history, persisted, logger: log });
  const changes = new MessageChangeService({ membership, sends, reservations, windows, history });

  io.use(socketAuth(tokens, revocations));
  io.use(
    connectionCaps({
      perUser: config.limits.connectionsPerUser,
      perAddress: config.limits.connectionsPerAddress,
    }),
  );
  const sessionWatch = new SessionWatch(io, revocations, log);
  const userNotices = new UserNoticeRelay(config.endpoints.redisUrl, io, log);
  io.on('connection', (socket) => {
    if (ops.draining) {
      socket.emit('server-shutdown', { reconnectInMs: 0 });
      socket.disconnect(true);
      return;
    }
    metrics.connections.inc();
    // Online at once, then renewed by the presence timer while connected.
    const principal = (socket.data as { principal?: { userId: string } }).principal;
    if (principal) {
      online.mark(principal.userId);
      // Every socket of a user, to tell them about their rooms (rooms-changed).
      void socket.join(userRoom(principal.userId));
    }
    socket.on('disconnect', () => metrics.connections.dec());
    attachHandlers(io, socket, {
      sends,
      changes,
      admission,
      receipts,
      history,
      unread,
      catchUp,
      delivery,
      membership,
      limiter,
      bus,
      online,
      metrics,
      logger: log,
      draining: () => ops.draining,
      historyReads,
      limits: {
        requestDeadlineMs: config.limits.requestDeadlineMs,
        resumeDeadlineMs: config.limits.resumeDeadlineMs,
        maxRoomsPerSocket: config.limits.roomsPerSocket,
      },
    });
  });

  const probes: Record<string, HealthProbe> = {
    gateway: () => ({
      kafkaPublisher: {
        ok: publisher.connected && breaker.state !== 'open',
        required: false,
        detail: { breaker: breaker.state },
      },
      // Ready only once the warm-up window is read: before that, recent reconnects and live delivery lag.
      deliveryConsumer: {
        ok: delivery.isConnected && delivery.warmedUp,
        detail: { lag: delivery.lag(), warmedUp: delivery.warmedUp },
      },
      redis: { ok: redis.status === 'ready', required: false },
      mongodb: { ok: connection.readyState === 1, required: false },
      backupQueue: { ok: backup.depth === 0, required: false, detail: { depth: backup.depth } },
    }),
  };
  const opsHandler = opsRoutes(probes, ops);
  const api = httpApi({
    tokens,
    history,
    membership,
    limiter,
    devSignIn: config.auth.devSignIn,
    logger: log,
    historyReads,
    requestDeadlineMs: config.limits.requestDeadlineMs,
  });
  const web = webClient({
    dir: config.web.dir,
    config: {
      roomApiUrl: config.web.roomApiUrl,
      devSignIn: config.auth.devSignIn,
      ...(config.web.identityApiUrl !== undefined ? { identityApiUrl: config.web.identityApiUrl } : {}),
      ...(config.web.ssoLabel ? { ssoLabel: config.web.ssoLabel } : {}),
    },
    logger: log,
  });
  server.on('request', (request, response) => {
    // Socket.IO answers its own path.
    if ((request.url ?? '').startsWith('/socket.io/')) return;
    void (async () => {
      if (request.method === 'GET' && request.url === '/metrics') {
        const merged = Registry.merge([register, registry]);
        response.writeHead(200, { 'content-type': merged.contentType });
        response.end(await merged.metrics());
        return;
      }
      if (await opsHandler(request, response)) return;
      if (await api(request, response)) return;
      if (web(request, response)) return;
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ error: { code: 'NOT_FOUND', message: 'no such endpoint', retryable: false } }),
      );
    })().catch((error: unknown) => {
      log.error({ err: error }, 'http handler failed');
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: errorBody(error) }));
    });
  });

  const typing = new TypingExpiry(config.presence.typingTtlMs, (notice) =>
    io.local.to(socketRoom(notice.roomId)).emit('typing', notice),
  );
  let presenceTimer: NodeJS.Timeout | undefined;
  return {
    server,
    io,
    instanceId: config.instanceId,
    async start() {
      await Promise.allSettled(redisClients.map((client) => client.connect()));
      await connection
        .asPromise()
        .catch((error: unknown) => log.warn({ err: (error as Error).message }, 'MongoDB not reachable yet'));
      await kafkaAdmin.connect();
      await bus.start((event) => {
        const room = socketRoom(event.notice.roomId);
        if (event.kind === 'typing') {
          // Only rooms with sockets here need an expiry timer.
          if (hasLocalSockets(event.notice.roomId)) typing.seen(event.notice);
          io.local.to(room).emit('typing', event.notice);
        } else io.local.to(room).emit('presence', event.notice);
      });
      await delivery.start();
      backup.start();
      sessionWatch.start();
      await userNotices.start();
      presenceTimer = setInterval(
        () => {
          for (const socket of io.sockets.sockets.values()) {
            const principal = (socket.data as { principal?: { userId: string } }).principal;
            if (principal) online.mark(principal.userId);
          }
        },
        (onlineTtl * 1000) / 2,
      ).unref();
      log.info('gateway started');
    },
    listen(port, host = config.http.host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve((server.address() as { port: number }).port));
      });
    },
    async stop() {
      ops.draining = true;
      clearInterval(presenceTimer);
      sessionWatch.stop();
      loopDelay.stop();
      userNotices.stop();
      typing.stop();
      io.local.emit('server-shutdown', { reconnectInMs: 250 + Math.floor(Math.random() * 1_000) });
      // Let the notice leave before the sockets close.
      await new Promise((resolve) => setTimeout(resolve, 50));
      io.local.disconnectSockets(true);
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await backup.stop();
      await publisher.close();
      breaker.shutdown();
      await Promise.allSettled([delivery.stop(), kafkaAdmin.disconnect()]);
      await connection.close().catch(() => undefined);
      for (const client of redisClients) client.disconnect();
      log.info('gateway stopped');
    },
    deliveryLag: () => delivery.lag(),
    deliveryWarmedUp: () => delivery.warmedUp,
    membershipChanged({ roomId, addedUserIds, removedUserIds }) {
      membership.forget(roomId);
      for (const userId of removedUserIds) {
        io.local.in(userRoom(userId)).socketsLeave(socketRoom(roomId));
        io.local.to(userRoom(userId)).emit('rooms-changed', { roomId, member: false });
      }
      for (const userId of addedUserIds) {
        io.local.to(userRoom(userId)).emit('rooms-changed', { roomId, member: true });
      }
      // Everyone still in the room hears that it changed (renamed, archived, members, blocks): their lists refresh.
      io.local.to(socketRoom(roomId)).emit('rooms-changed', { roomId, member: true });
    },
    markDead,
  };
}
