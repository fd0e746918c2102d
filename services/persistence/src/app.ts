import type { IncomingMessage, ServerResponse } from 'node:http';
import mongoose from 'mongoose';
import { CONSUMER_CLIENT_RETRY, createKafka } from '@chat/base-listener';
import { RecentCache, RecentCacheWriter } from '@chat/recent-cache';
import { collectProcessMetrics, opsRoutes, type Logger, type OpsState } from '@chat/runtime';
import type { PersistenceConfig } from './config.js';
import { chatModels } from '@chat/message-store';
import { Redis } from 'ioredis';
import { PersistenceWorker } from './worker/persistence-worker.js';

const LAG_REFRESH_MS = 10_000;

export interface PersistenceApp {
  worker: PersistenceWorker;
  recentCache: RecentCacheWriter;
  /** Serves /livez, /readyz and /metrics; false for any other path. */
  handleHttp(request: IncomingMessage, response: ServerResponse): Promise<boolean>;
  stop(): Promise<void>;
}

/**
 * Connects MongoDB (with indexes), Redis and Kafka and starts the two
 * writers of history: the worker (MongoDB) and the recent-cache writer
 * (Redis), each in its own consumer group so that one store's outage never
 * holds the other. The caller decides where HTTP listens.
 */
export async function startPersistence(config: PersistenceConfig, logger: Logger): Promise<PersistenceApp> {
  collectProcessMetrics();
  const connection = await mongoose.createConnection(config.endpoints.mongoUrl).asPromise();
  const models = chatModels(connection);
  await Promise.all([
    models.Message.createIndexes(),
    models.Receipt.createIndexes(),
    models.Change.createIndexes(),
  ]);

  const worker = new PersistenceWorker({
    kafka: createKafka({
      brokers: config.endpoints.kafkaBrokers,
      clientId: 'persistence',
      logger,
      retry: CONSUMER_CLIENT_RETRY,
    }),
    models,
    logger,
    groupId: config.groupId,
    topics: config.topics,
    flushMaxEvents: config.flushMaxEvents,
    flushIntervalMs: config.flushIntervalMs,
    bufferMaxEvents: config.bufferMaxEvents,
    retryInitialDelayMs: config.retryInitialDelayMs,
    retryMaxDelayMs: config.retryMaxDelayMs,
    sessionTimeoutMs: config.sessionTimeoutMs,
    failpoint: config.failpoint && crashAt(config.failpoint, logger),
  });
  // No offline queue: while Redis is down a write fails at once and the writer's breaker pauses it.
  const redis = new Redis(config.endpoints.redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 2_000,
    lazyConnect: true,
  });
  redis.on('error', () => undefined);
  const recentCache = new RecentCacheWriter(new RecentCache(redis, config.recentCache.length), {
    groupId: config.recentCache.groupId,
    topic: config.recentCache.topic,
    brokers: config.endpoints.kafkaBrokers,
    sessionTimeoutMs: config.sessionTimeoutMs,
    logger: logger.child({ component: 'recent-cache' }),
  });
  // Side by side: a group still waiting out a crashed member's session delays neither.
  await Promise.all([worker.start(), recentCache.start()]);
  const lagTimer = setInterval(() => void worker.refreshLag().catch(() => undefined), LAG_REFRESH_MS).unref();

  const ops: OpsState = { draining: false };
  const markDead = ({ reason }: { reason: string }) => {
    ops.dead ??= reason;
    logger.fatal({ reason }, 'a consumer stopped for good; liveness now fails so the process is restarted');
  };
  worker.events.on('dead', markDead);
  recentCache.events.on('dead', markDead);
  const handleHttp = opsRoutes(
    {
      worker: () => {
        const health = worker.health();
        const cache = recentCache.health();
        return {
          kafka: { ok: health.connected, detail: health },
          // MongoDB down is survivable (the buffer waits), so it degrades rather than fails readiness.
          mongodb: { ok: connection.readyState === 1 && health.breaker !== 'open', required: false },
          // So is Redis down: the recent cache waits and readers fall back to MongoDB.
          recentCache: { ok: cache.status === 'up', required: false, detail: cache },
        };
      },
    },
    ops,
  );
  return {
    worker,
    recentCache,
    handleHttp,
    async stop() {
      ops.draining = true;
      clearInterval(lagTimer);
      await Promise.allSettled([worker.stop(), recentCache.stop()]);
      redis.disconnect();
      await connection.close();
    },
  };
}

/** Dies like kill -9 (no flush, no commit, no goodbye) the first time the worker reaches `point`. */
function crashAt(point: NonNullable<PersistenceConfig['failpoint']>, logger: Logger) {
  return (reached: 'before-write' | 'after-write') => {
    if (reached !== point) return;
    logger.warn({ failpoint: point }, 'failpoint reached: killing the process');
    process.kill(process.pid, 'SIGKILL');
  };
}
