import type { IncomingMessage, ServerResponse } from 'node:http';
import mongoose from 'mongoose';
import { createKafka } from '@chat/base-listener';
import { collectProcessMetrics, opsRoutes, type Logger, type OpsState } from '@chat/runtime';
import type { PersistenceConfig } from './config.js';
import { chatModels } from '@chat/message-store';
import { PersistenceWorker } from './worker/persistence-worker.js';

const LAG_REFRESH_MS = 10_000;

export interface PersistenceApp {
  worker: PersistenceWorker;
  /** Serves /livez, /readyz and /metrics; false for any other path. */
  handleHttp(request: IncomingMessage, response: ServerResponse): Promise<boolean>;
  stop(): Promise<void>;
}

/** Connects MongoDB (with indexes) and Kafka and starts the worker; the caller decides where HTTP listens. */
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
    kafka: createKafka({ brokers: config.endpoints.kafkaBrokers, clientId: 'persistence', logger }),
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
  await worker.start();
  const lagTimer = setInterval(() => void worker.refreshLag().catch(() => undefined), LAG_REFRESH_MS).unref();

  const ops: OpsState = { draining: false };
  worker.events.on('dead', ({ reason }) => {
    ops.dead ??= reason;
    logger.fatal({ reason }, 'the consumer stopped for good; liveness now fails so the process is restarted');
  });
  const handleHttp = opsRoutes(
    {
      worker: () => {
        const health = worker.health();
        return {
          kafka: { ok: health.connected, detail: health },
          // MongoDB down is survivable (the buffer waits), so it degrades rather than fails readiness.
          mongodb: { ok: connection.readyState === 1 && health.breaker !== 'open', required: false },
        };
      },
    },
    ops,
  );
  return {
    worker,
    handleHttp,
    async stop() {
      ops.draining = true;
      clearInterval(lagTimer);
      await worker.stop();
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
