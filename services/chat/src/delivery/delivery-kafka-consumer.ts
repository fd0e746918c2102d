import { onConsumerDeath } from '@chat/base-listener';
import type { Logger } from '@chat/runtime';
import type { Consumer, Kafka } from 'kafkajs';

/** How long the broker keeps a silent member (a crashed or frozen instance) before its partitions move. */
export const DELIVERY_SESSION_TIMEOUT_MS = 10_000;

export interface DeliveryConsumerSetup {
  groupId: string;
  topics: string[];
  /** Where a partition with no committed offset starts: its beginning, or (default) its end. */
  fromBeginning?: boolean;
  logger: Logger;
  /** Names it in the crash log line. */
  role: string;
  /** KafkaJS stopped the consumer for good. */
  onDead: (reason: string) => void;
  /** Joined its group (true), or crashed or disconnected (false). */
  onConnected: (connected: boolean) => void;
}

/**
 * A consumer of the delivery topics, connected and subscribed (from the
 * group's offsets): short fetch waits for live delivery, and
 * its connection state reported as KafkaJS sees it. The caller runs it.
 */
export async function connectDeliveryConsumer(kafka: Kafka, setup: DeliveryConsumerSetup): Promise<Consumer> {
  const consumer = kafka.consumer({
    groupId: setup.groupId,
    maxWaitTimeInMs: 100,
    sessionTimeout: DELIVERY_SESSION_TIMEOUT_MS,
    heartbeatInterval: 1_000,
  });
  consumer.on(consumer.events.GROUP_JOIN, () => setup.onConnected(true));
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    setup.onConnected(false);
    setup.logger.error({ err: payload.error.message }, `${setup.role} crashed`);
  });
  onConsumerDeath(consumer, setup.onDead);
  consumer.on(consumer.events.DISCONNECT, () => setup.onConnected(false));
  await consumer.connect();
  await consumer.subscribe({ topics: setup.topics, fromBeginning: setup.fromBeginning ?? false });
  return consumer;
}
