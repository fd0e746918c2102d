import type { Admin, Consumer } from 'kafkajs';

/** Where each non-empty partition of `topic` ends now (last stable offset): the point a reader must reach. */
export async function endOffsets(admin: Admin, topic: string): Promise<Map<number, number>> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return new Map(
    offsets
      .filter((entry) => Number(entry.offset) > Number(entry.low))
      .map((entry) => [entry.partition, Number(entry.offset)]),
  );
}

/**
 * Resolves once `consumer` has processed every partition up to `ends`.
 * Batch-end events are used rather than messages because a partition may end
 * in transaction markers that are never delivered as messages.
 */
export function caughtUp(
  consumer: Consumer,
  ends: Map<number, number>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const pending = new Map(ends);
  if (pending.size === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      remove();
      reject(new Error(`reading ${what} did not reach its end within ${timeoutMs} ms`));
    }, timeoutMs);
    const remove = consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      const end = pending.get(payload.partition);
      if (end !== undefined && Number(payload.lastOffset) + 1 >= end) pending.delete(payload.partition);
      if (pending.size === 0) {
        clearTimeout(timer);
        remove();
        resolve();
      }
    });
  });
}
