import { randomUUID } from 'node:crypto';
import {
  type DeadLetterContext,
  HEADERS,
  deadLetterHeaders,
  groupTopics,
  withoutDeliveryHeaders,
} from '@chat/contracts';
import { ConfigError, createLogger, endpointsFromEnv } from '@chat/runtime';
import Joi from 'joi';
import { Partitioners } from 'kafkajs';
import type { Logger } from 'pino';
import { messageOf } from '../errors/errors.js';
import { caughtUp, endOffsets } from '../kafka/catch-up.js';
import { createKafka } from '../kafka/client.js';
import { decodeHeaders } from '../kafka/record.js';

/** One record of a group's DLQ, decoded. */
export interface DeadLetter {
  /** Where it sits in the DLQ. */
  position: { topic: string; partition: number; offset: string };
  context: DeadLetterContext;
  key: Buffer | null;
  value: Buffer | null;
  /** The headers it had before it failed, trace context included. */
  headers: Record<string, string>;
}

export interface DeadLetterQuery {
  /** The consumer group whose DLQ (`groupTopics.deadLetter(groupId)`) is read. */
  groupId: string;
  /** @defaultValue endpointsFromEnv().kafkaBrokers */
  brokers?: string[];
  /** Which records to take. @defaultValue every record */
  filter?: (letter: DeadLetter) => boolean;
  /** Most records to take. @defaultValue no limit */
  limit?: number;
  /** How long reading the DLQ to its current end may take. @defaultValue 30_000 */
  timeoutMs?: number;
  /** @defaultValue `createLogger('dlq', 'warn')` from @chat/runtime */
  logger?: Logger;
}

export interface ReplayOptions extends DeadLetterQuery {
  /** List what would be replayed without publishing. @defaultValue false */
  dryRun?: boolean;
}

export interface ReplayReport {
  /** Records read from the DLQ. */
  scanned: number;
  /** The records published back to their source topics (or that would be, in a dry run). */
  replayed: DeadLetter[];
  dryRun: boolean;
}

const querySchema = Joi.object({
  groupId: Joi.string().required(),
  brokers: Joi.array().items(Joi.string()).min(1),
  filter: Joi.function(),
  limit: Joi.number().integer().min(1),
  timeoutMs: Joi.number().integer().min(1).default(30_000),
  logger: Joi.object(),
  dryRun: Joi.boolean().default(false),
});

function checked(options: ReplayOptions): Required<Omit<ReplayOptions, 'filter' | 'limit'>> & ReplayOptions {
  const { value, error } = querySchema.validate(options, { abortEarly: false, convert: false });
  if (error) throw new ConfigError(error.details.map((detail) => `dead-letter query ${detail.message}`));
  return {
    ...value,
    brokers: value.brokers ?? endpointsFromEnv().kafkaBrokers,
    logger: value.logger ?? createLogger('dlq', 'warn'),
  };
}

/** Reads a group's DLQ from its start to its current end (read-committed: aborted forwards never show). */
export async function readDeadLetters(query: DeadLetterQuery): Promise<DeadLetter[]> {
  const options = checked(query);
  const topic = groupTopics.deadLetter(options.groupId);
  const kafka = createKafka({ brokers: options.brokers, clientId: 'dlq-reader', logger: options.logger });
  const admin = kafka.admin();
  await admin.connect();
  const ends = await endOffsets(admin, topic).finally(() => admin.disconnect());
  if (ends.size === 0) return [];

  const letters: DeadLetter[] = [];
  const consumer = kafka.consumer({ groupId: `${topic}.reader.${randomUUID()}`, maxWaitTimeInMs: 500 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    const done = caughtUp(consumer, ends, options.timeoutMs, topic);
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          const headers = decodeHeaders(message.headers);
          let context: DeadLetterContext | undefined;
          try {
            context = deadLetterHeaders.decode(headers);
          } catch (error) {
            options.logger.warn(
              { err: messageOf(error), offset: message.offset },
              'skipping a DLQ record with broken headers',
            );
          }
          if (!context) continue;
          const letter: DeadLetter = {
            position: { topic, partition: batch.partition, offset: message.offset },
            context,
            key: message.key ?? null,
            value: message.value ?? null,
            headers: withoutDeliveryHeaders(headers),
          };
          if (options.filter?.(letter) ?? true) letters.push(letter);
        }
      },
    });
    await done;
  } finally {
    await consumer.disconnect();
  }
  letters.sort(
    (a, b) =>
      a.position.partition - b.position.partition || Number(a.position.offset) - Number(b.position.offset),
  );
  return options.limit === undefined ? letters : letters.slice(0, options.limit);
}

/**
 * Publishes chosen DLQ records back onto their source topics, with their
 * original key, value and headers plus `chat-replayed-from`. The idempotency
 * key is unchanged, so groups that already applied the event skip it.
 */
export async function replayDeadLetters(options: ReplayOptions): Promise<ReplayReport> {
  const resolved = checked(options);
  let scanned = 0;
  const letters = await readDeadLetters({
    ...resolved,
    filter: (letter) => {
      scanned += 1;
      return resolved.filter?.(letter) ?? true;
    },
  });
  if (resolved.dryRun || letters.length === 0) return { scanned, replayed: letters, dryRun: resolved.dryRun };

  const kafka = createKafka({ brokers: resolved.brokers, clientId: 'dlq-replay', logger: resolved.logger });
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  try {
    const byTopic = new Map<string, DeadLetter[]>();
    for (const letter of letters) {
      byTopic.set(letter.context.originalTopic, [
        ...(byTopic.get(letter.context.originalTopic) ?? []),
        letter,
      ]);
    }
    await producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, group]) => ({
        topic,
        messages: group.map((letter) => ({
          key: letter.key,
          value: letter.value,
          headers: {
            ...letter.headers,
            [HEADERS.replayedFrom]: `${letter.position.topic}:${letter.position.partition}:${letter.position.offset}`,
          },
        })),
      })),
    });
  } finally {
    await producer.disconnect();
  }
  return { scanned, replayed: letters, dryRun: false };
}
