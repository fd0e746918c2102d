/** The part of a Kafka consumer that stops and restarts fetching. */
export interface PauseControl {
  pause(topicPartitions: { topic: string; partitions?: number[] }[]): void;
  resume(topicPartitions: { topic: string; partitions?: number[] }[]): void;
}

/**
 * Why the listener is not fetching, kept in one place because two reasons
 * overlap: an open breaker holds every topic, and a retry-topic partition
 * waits for its head record to fall due. Releasing one must not release the other.
 */
export class PauseGate {
  private held = false;
  private readonly waits = new Map<string, { topic: string; partition: number; timer: NodeJS.Timeout }>();

  constructor(
    private readonly control: PauseControl,
    private readonly topics: readonly string[],
    private readonly onHoldChange: (held: boolean) => void,
  ) {}

  /** Stops fetching every topic of the listener; the unprocessed records stay uncommitted. */
  holdAll(): void {
    if (this.held) return;
    this.held = true;
    this.control.pause(this.topics.map((topic) => ({ topic })));
    this.onHoldChange(true);
  }

  releaseAll(): void {
    if (!this.held) return;
    this.held = false;
    this.control.resume(this.topics.map((topic) => ({ topic })));
    for (const { topic, partition } of this.waits.values())
      this.control.pause([{ topic, partitions: [partition] }]);
    this.onHoldChange(false);
  }

  /** Stops fetching one partition until `at` (ms since the epoch). */
  holdUntil(topic: string, partition: number, at: number): void {
    const key = `${topic}|${partition}`;
    clearTimeout(this.waits.get(key)?.timer);
    // Pausing one partition of a topic held whole would un-hold its siblings in KafkaJS.
    if (!this.held) this.control.pause([{ topic, partitions: [partition] }]);
    const timer = setTimeout(
      () => {
        this.waits.delete(key);
        if (!this.held) this.control.resume([{ topic, partitions: [partition] }]);
      },
      Math.max(0, at - Date.now()),
    );
    this.waits.set(key, { topic, partition, timer });
  }

  isHeld(topic: string, partition: number): boolean {
    return this.held || this.waits.has(`${topic}|${partition}`);
  }

  get holdingAll(): boolean {
    return this.held;
  }

  clear(): void {
    for (const { timer } of this.waits.values()) clearTimeout(timer);
    this.waits.clear();
    this.held = false;
  }
}
