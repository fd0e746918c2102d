/** Where an event came from: what its commit will name. */
export interface SourcePosition {
  topic: string;
  partition: number;
  /** Kafka offset, as KafkaJS gives it. */
  offset: string;
}

export interface BufferedEntry<T> extends SourcePosition {
  item: T;
  /** When the worker received it, for the time-to-persisted metric and the timer trigger. */
  receivedAt: number;
}

/** The next offset to commit per topic-partition once everything drained has been written. */
export interface CommitPoint {
  topic: string;
  partition: number;
  offset: string;
}

const keyOf = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/**
 * Events waiting to be written, per topic-partition in offset order. An
 * offset at or below the last one buffered for its partition is ignored: a
 * consumer that re-fetches after a rebalance must not buffer a record twice.
 */
export class WriteBuffer<T> {
  private readonly partitions = new Map<string, BufferedEntry<T>[]>();
  private readonly lastOffset = new Map<string, bigint>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Age in ms of the oldest buffered entry, or undefined when empty. */
  oldestAge(now: number): number | undefined {
    let oldest: number | undefined;
    for (const entries of this.partitions.values()) {
      const first = entries[0];
      if (first && (oldest === undefined || first.receivedAt < oldest)) oldest = first.receivedAt;
    }
    return oldest === undefined ? undefined : now - oldest;
  }

  add(entry: BufferedEntry<T>): boolean {
    const key = keyOf(entry.topic, entry.partition);
    const offset = BigInt(entry.offset);
    const last = this.lastOffset.get(key);
    if (last !== undefined && offset <= last) return false;
    this.lastOffset.set(key, offset);
    const entries = this.partitions.get(key) ?? [];
    entries.push(entry);
    this.partitions.set(key, entries);
    this.count += 1;
    return true;
  }

  /** Takes up to `max` entries, oldest partitions' heads first, keeping each partition's order. */
  take(max: number): BufferedEntry<T>[] {
    const taken: BufferedEntry<T>[] = [];
    for (const [key, entries] of this.partitions) {
      if (taken.length >= max) break;
      const slice = entries.splice(0, max - taken.length);
      taken.push(...slice);
      if (entries.length === 0) this.partitions.delete(key);
    }
    this.count -= taken.length;
    return taken;
  }

  /** Forgets partitions this worker no longer owns; their uncommitted records go to the new owner. */
  dropPartitions(keep: (topic: string, partition: number) => boolean): number {
    let dropped = 0;
    for (const [key, entries] of this.partitions) {
      const [topic, partition] = key.split('\u0000') as [string, string];
      if (keep(topic, Number(partition))) continue;
      dropped += entries.length;
      this.partitions.delete(key);
    }
    for (const key of this.lastOffset.keys()) {
      const [topic, partition] = key.split('\u0000') as [string, string];
      if (!keep(topic, Number(partition))) this.lastOffset.delete(key);
    }
    this.count -= dropped;
    return dropped;
  }
}

/** The offsets to commit after `written` entries are durable: per partition, one past the highest offset. */
export function commitPointsOf(written: SourcePosition[]): CommitPoint[] {
  const highest = new Map<string, { topic: string; partition: number; offset: bigint }>();
  for (const entry of written) {
    const key = keyOf(entry.topic, entry.partition);
    const offset = BigInt(entry.offset);
    const current = highest.get(key);
    if (!current || offset > current.offset)
      highest.set(key, { topic: entry.topic, partition: entry.partition, offset });
  }
  return [...highest.values()].map(({ topic, partition, offset }) => ({
    topic,
    partition,
    offset: String(offset + 1n),
  }));
}
