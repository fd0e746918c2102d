import type { Redis } from 'ioredis';
import { backoffDelay } from '@chat/backoff';
import { drainBatch, drainLock, type DrainLock } from '@chat/backup-queue';
import type { AnyEvent } from '@chat/contracts';
import type { Logger } from '@chat/runtime';
import type { EventPublisher } from '../send/publisher-port.js';
import { withTimeout } from '../send/publisher-port.js';

export interface BackupQueueOptions {
  key: string;
  instanceId: string;
  topic: string;
  pollMs: number;
  initialDelayMs: number;
  maxDelayMs: number;
  batch: number;
  publishTimeoutMs: number;
}

/**
 * Messages acknowledged as `queued` while Kafka was unreachable: one Redis
 * list, FIFO, so a room's messages reach Kafka in the order they were
 * acknowledged. Every instance runs the retrier; a lock with expiry lets one
 * drain at a time. An item leaves the list only after its publish
 * succeeded; a crash in between re-publishes it, which the deterministic
 * messageId makes harmless.
 */
export class BackupQueue {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private failures = 0;
  private localBacklog = false;
  private lastDepth = 0;
  private readonly lock: DrainLock;

  constructor(
    private readonly redis: Redis,
    private readonly publisher: EventPublisher,
    private readonly options: BackupQueueOptions,
    private readonly log: Logger,
    private readonly onDepth: (depth: number) => void = () => undefined,
  ) {
    this.lock = drainLock(redis, options.key, options.instanceId);
  }

  /** True while queued messages wait: new sends queue behind them to keep per-room order. */
  get backlog(): boolean {
    return this.localBacklog;
  }

  get depth(): number {
    return this.lastDepth;
  }

  async push(event: AnyEvent): Promise<void> {
    await this.redis.rpush(this.options.key, JSON.stringify(event));
    this.localBacklog = true;
  }

  start(): void {
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.lock.release().catch(() => undefined);
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), delay);
  }

  private async tick(): Promise<void> {
    let next = this.options.pollMs;
    try {
      const depth = await this.redis.llen(this.options.key);
      this.setDepth(depth);
      if (depth > 0 && this.publisher.connected) {
        if (await this.lock.acquire(this.lockMs())) await this.drain();
      }
      this.failures = 0;
    } catch (error) {
      this.failures += 1;
      next = backoffDelay(
        {
          initialDelayMs: this.options.initialDelayMs,
          multiplier: 2,
          maxDelayMs: this.options.maxDelayMs,
          jitter: 0.2,
        },
        this.failures,
      );
      this.log.warn(
        { err: (error as Error).message, retryInMs: next },
        'backup queue drain failed; backing off',
      );
    }
    this.schedule(next);
  }

  /** Publishes the head of the list in batches, trimming each batch only after Kafka has it. */
  private async drain(): Promise<void> {
    const { key, batch, topic, publishTimeoutMs } = this.options;
    const publish = (events: AnyEvent[]) =>
      withTimeout(this.publisher.publish(events, topic), publishTimeoutMs, 'backup publish');
    for (;;) {
      if (this.stopped) return;
      const drained = await drainBatch(this.redis, key, batch, publish);
      if (drained.taken === 0) break;
      if (drained.unreadable > 0) {
        this.log.error({ dropped: drained.unreadable }, 'unreadable backup queue items dropped');
      }
      this.log.info({ published: drained.published }, 'backup queue items published to Kafka');
      if (!(await this.lock.extend(this.lockMs()))) return;
    }
    this.setDepth(await this.redis.llen(key));
    await this.lock.release();
  }

  private setDepth(depth: number): void {
    this.lastDepth = depth;
    if (depth === 0) this.localBacklog = false;
    this.onDepth(depth);
  }

  private lockMs(): number {
    return Math.max(5_000, this.options.publishTimeoutMs * 3);
  }
}
