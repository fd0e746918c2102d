import type { Consumer } from 'kafkajs';

/**
 * Calls `onDead` when KafkaJS stops a consumer for good: a crash it will not
 * restart (a non-retriable error). Until then a crash is followed by a
 * restart and needs nothing from us; after it the consumer reads nothing
 * more, and only a new process brings it back.
 */
export function onConsumerDeath(consumer: Consumer, onDead: (reason: string) => void): void {
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (!payload.restart) onDead(`consumer of ${payload.groupId} stopped: ${payload.error.message}`);
  });
}
