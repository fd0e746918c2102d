import { randomUUID } from 'node:crypto';
import { DEFAULT_BACKUP_KEY, drainBatch, drainLock } from '@chat/backup-queue';
import { Publisher } from '@chat/base-listener';
import { TOPICS, type AnyEvent } from '@chat/contracts';
import type { Command } from 'commander';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import type { Bind } from '../bind.js';
import type { Context } from '../context.js';
import { CliError, asCliError } from '../errors.js';
import { parseLimit } from '../filters.js';
import { json, table } from '../io.js';
import { progress } from '../progress.js';

/** The gateway's retriers take the queue's drain lock before draining; chatctl takes the same lock, so only one drains. */
const LOCK_MS = 30_000;

/** How many items wait under a key: the gateway uses a list; a sorted set or stream is counted too. */
const DEPTH_COMMAND: Record<string, 'llen' | 'zcard' | 'xlen'> = {
  list: 'llen',
  zset: 'zcard',
  stream: 'xlen',
};

async function withRedis<T>(context: Context, work: (redis: Redis) => Promise<T>): Promise<T> {
  const where = `Redis (${new URL(context.redisUrl).host})`;
  const redis = new Redis(context.redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 3_000,
    retryStrategy: () => null,
  });
  // ioredis reports a refused connection as an 'error' event and rejects connect() with a bare message.
  let connectionError: Error | undefined;
  redis.on('error', (error: Error) => (connectionError ??= error));
  try {
    try {
      await redis.connect();
    } catch (error) {
      throw new CliError(
        'UNAVAILABLE',
        `${where} is unreachable: ${(connectionError ?? (error as Error)).message}`,
      );
    }
    return await work(redis);
  } catch (error) {
    throw asCliError(error, where);
  } finally {
    redis.disconnect();
  }
}

async function depth(context: Context, options: { key: string }) {
  const { type, count } = await withRedis(context, async (redis) => {
    const type = await redis.type(options.key);
    if (type === 'none') return { type, count: 0 };
    const command = DEPTH_COMMAND[type];
    if (!command)
      throw new CliError('FAILED', `${options.key} is a Redis ${type}, not a queue (list, zset or stream)`);
    return { type, count: await redis[command](options.key) };
  });
  context.io.out(
    context.json
      ? json({ key: options.key, type, depth: count })
      : table(['key', 'type', 'depth'], [[options.key, type, count]]),
  );
}

interface DrainReport {
  published: number;
  unreadable: number;
  left: number;
}

/**
 * Publishes the queue's head to Kafka batch by batch, trimming each batch only
 * after Kafka acknowledged it: the gateway's own retrier protocol, for when no
 * gateway is running or an operator wants the queue empty now.
 */
async function drainQueue(
  context: Context,
  options: { key: string; topic: string; batch: string },
): Promise<DrainReport> {
  const batch = parseLimit(options.batch);
  return withRedis(context, async (redis) => {
    if ((await redis.type(options.key)) === 'none') return { published: 0, unreadable: 0, left: 0 };
    const lock = drainLock(redis, options.key, `chatctl-${randomUUID()}`);
    if (!(await lock.acquire(LOCK_MS)))
      throw new CliError(
        'BUSY',
        `a gateway instance is draining ${options.key} now (${lock.key} is held); watch chat_backup_queue_depth`,
      );
    const publisher = new Publisher({
      brokers: context.brokers,
      clientId: 'chatctl-backup-drain',
      logger: context.logger,
      registry: new Registry(),
    });
    const bar = progress(context.io, 'draining', await redis.llen(options.key), !context.json);
    const report: DrainReport = { published: 0, unreadable: 0, left: 0 };
    try {
      await publisher.connect().catch((error: unknown) => {
        throw asCliError(error, `Kafka (${context.brokers.join(',')})`);
      });
      const publish = (events: AnyEvent[]) => publisher.publishAll(events, { topic: options.topic });
      for (;;) {
        // The gateway drops what it cannot parse too; counted, so the operator sees it.
        const drained = await drainBatch(redis, options.key, batch, publish);
        if (drained.taken === 0) break;
        report.published += drained.published;
        report.unreadable += drained.unreadable;
        for (let i = 0; i < drained.taken; i += 1) bar.tick();
        if (!(await lock.extend(LOCK_MS)))
          throw new CliError('BUSY', `lost ${lock.key} while draining; run the drain again`);
      }
    } finally {
      bar.done();
      await publisher.disconnect();
      await lock.release();
    }
    report.left = await redis.llen(options.key);
    return report;
  });
}

async function drain(context: Context, options: { key: string; topic: string; batch: string }) {
  const report = await drainQueue(context, options);
  if (context.json) return context.io.out(json({ key: options.key, ...report }));
  context.io.out(
    `published ${report.published} queued message(s) to ${options.topic}` +
      (report.unreadable > 0 ? `, dropped ${report.unreadable} unreadable item(s)` : '') +
      `; ${report.left} left in ${options.key}\n`,
  );
}

export function backupQueueCommand(program: Command, bind: Bind): void {
  const queue = program
    .command('backup-queue')
    .description("the chat gateway's Redis backup queue (messages acked while Kafka was unreachable)");
  queue
    .command('depth')
    .description('items waiting to be re-published to Kafka')
    .option('--key <key>', "the queue's Redis key (the gateway's CHAT_BACKUP_KEY)", DEFAULT_BACKUP_KEY)
    .action(bind(depth));
  queue
    .command('drain')
    .description(
      'publish every queued message to Kafka now, oldest first, removing each batch once Kafka has it',
    )
    .option('--key <key>', "the queue's Redis key (the gateway's CHAT_BACKUP_KEY)", DEFAULT_BACKUP_KEY)
    .option(
      '--topic <topic>',
      "where queued messages go (the gateway's CHAT_MESSAGES_TOPIC)",
      TOPICS.messages,
    )
    .option('--batch <n>', 'messages per Kafka send', '200')
    .action(bind(drain));
}
