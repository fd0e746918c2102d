import { type HandlerContext, Listener, ensureTopics } from '@chat/base-listener';
import type { AnyEvent } from '@chat/contracts';
import { endpointsFromEnv } from '@chat/runtime';
import { uniqueName } from '@chat/testkit';
import { recordOf } from '@chat/testkit/events';
import { kafkaKit } from '@chat/testkit/kafka';
import { pino } from 'pino';
import { Registry } from 'prom-client';

export const endpoints = endpointsFromEnv();
const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const kit = kafkaKit({ brokers: endpoints.kafkaBrokers, clientId: 'chatctl-tests', ensureTopics });
export const { withAdmin, createTopic } = kit;

/** One event, as an application other than chatctl wrote it. */
export async function produce(topic: string, event: AnyEvent): Promise<void> {
  await kit.produce(topic, [recordOf(event, { 'x-origin': 'test' })]);
}

export interface SeenRecord {
  offset: string;
  value: string;
  headers: Record<string, string>;
}

/** What a fresh consumer group finds on `topic` from its start, once `count` records are there. */
export async function consume(topic: string, count: number): Promise<SeenRecord[]> {
  const seen = await kit.collect(topic, (records) => records.length >= count);
  return seen.map(({ offset, value, headers }) => ({ offset, value: value?.toString() ?? '', headers }));
}

/** A real kit listener whose downstream rejects every event: each one ends in the group's DLQ. */
export class RejectingListener extends Listener {
  protected override async handle(_event: AnyEvent, _context: HandlerContext): Promise<void> {
    throw new Error('downstream rejected the event');
  }
}

export function rejectingListener(topic: string, groupId: string): RejectingListener {
  return new RejectingListener({
    groupId,
    topics: [topic],
    brokers: endpoints.kafkaBrokers,
    logger,
    registry: new Registry(),
    lagIntervalMs: 0,
    sessionTimeoutMs: 10_000,
    heartbeatIntervalMs: 1_000,
    transactionalId: uniqueName('tx'),
    retry: { mode: 'blocking', maxAttempts: 2, initialDelayMs: 20 },
    idempotency: { redis: endpoints.redisUrl },
  });
}

/**
 * Starts a listener, retrying when its start trips over a topic it just
 * created whose leader is not elected yet (the kit's start reads its new
 * processed topic's offsets at once; reported to the base-listener owners).
 */
export async function startListener(listener: Listener): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await listener.start();
    } catch (error) {
      const notLeader = (error as { type?: string }).type === 'NOT_LEADER_FOR_PARTITION';
      if (!notLeader || attempt === 3) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
