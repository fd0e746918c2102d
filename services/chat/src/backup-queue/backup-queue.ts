import type { Redis } from 'ioredis';
import { backoffDelay } from '@chat/base-listener';
import { parseEvent, type AnyEvent } from '@chat/contracts';
import type { Logger } from '@chat/runtime';
import type { EventPublisher } from '../send/publisher-port.js';
import { withTimeout } from '../send/publisher-port.js';

/** Only the lock's owner extends or releases it. */
const EXTEND = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

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
  private readonly lockKey: string;

  constructor(
    private readonly redis: Redis,
    private readonly publisher: EventPublisher,
    private readonly options: BackupQueueOptions,
    private readonly log: Logger,
    private readonly onDepth: (depth: number) => void = () => undefined,
  ) {
    this.lockKey = `${options.key}:lock`;
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
    await this.redis.eval(RELEASE, 1, this.lockKey, this.options.instanceId).catch(() => undefined);
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
        const locked = await this.redis.set(this.lockKey, this.options.instanceId, 'PX', this.lockMs(), 'NX');
        if (locked === 'OK' || (await this.redis.get(this.lockKey)) === this.options.instanceId) {
          await this.drain();
        }
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
    for (;;) {
      if (this.stopped) return;
      const raw = await this.redis.lrange(this.options.key, 0, this.options.batch - 1);
      if (raw.length === 0) break;
      const events: AnyEvent[] = [];
      for (const item of raw) {
        try {
          events.push(parseEvent(item));
        } catch (error) {
          this.log.error({ err: (error as Error).message }, 'unreadable backup queue item dropped');
        }
      }
      if (events.length) {
        await withTimeout(
          this.publisher.publish(events, this.options.topic),
          this.options.publishTimeoutMs,
          'backup publish',
        );
      }
      await this.redis.ltrim(this.options.key, raw.length, -1);
      const extended = await this.redis.eval(EXTEND, 1, this.lockKey, this.options.instanceId, this.lockMs());
      this.log.info({ published: events.length }, 'backup queue items published to Kafka');
      if (extended !== 1) return;
    }
    this.setDepth(await this.redis.llen(this.options.key));
    await this.redis.eval(RELEASE, 1, this.lockKey, this.options.instanceId);
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
