/** The most one send may carry. */
export interface BatchLimits {
  maxMessages: number;
  /** Kafka refuses a record batch over `message.max.bytes` (1 MiB by default) per partition. */
  maxBytes: number;
}

export const DEFAULT_BATCH_LIMITS: BatchLimits = { maxMessages: 1000, maxBytes: 512 * 1024 };

/**
 * How many of the oldest waiting records the next send takes: every one
 * that fits the limits, and always at least one (a single record over the
 * byte limit is still sent, and refused by the broker with a clear error).
 */
export function batchLength<T>(
  waiting: readonly T[],
  sizeOf: (item: T) => number,
  limits: BatchLimits,
): number {
  let bytes = 0;
  let count = 0;
  for (const item of waiting) {
    if (count === limits.maxMessages) break;
    bytes += sizeOf(item);
    if (count > 0 && bytes > limits.maxBytes) break;
    count += 1;
  }
  return count;
}
