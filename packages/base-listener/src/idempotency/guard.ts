import type { Logger } from 'pino';
import { ClaimBusyError, messageOf } from '../errors/errors.js';
import type { ListenerEvents } from '../listener/events.js';
import type { RedisFastPath } from './redis-fast-path.js';
import type { Claim, Duplicate, ProcessedStore } from './store.js';

/**
 * Decides whether an event's effect was already applied, and records it once
 * it is. Redis answers first; the durable store is asked when Redis has no
 * answer (a miss may be lost Redis data) and alone when Redis is down.
 * Recording writes both and succeeds if either kept it.
 */
export class IdempotencyGuard {
  constructor(
    private readonly fast: RedisFastPath | undefined,
    private readonly durable: ProcessedStore,
    private readonly events: ListenerEvents,
    private readonly log: Logger,
  ) {}

  async claim(key: string): Promise<Claim | Duplicate> {
    let token: string | undefined;
    if (this.fast) {
      try {
        const reservation = await this.fast.reserve(key);
        if (reservation.state === 'done') return { duplicate: true, store: 'redis' };
        if (reservation.state === 'busy') throw new ClaimBusyError(key);
        token = reservation.token;
      } catch (error) {
        if (error instanceof ClaimBusyError) throw error;
        this.fallback('claim', error);
      }
    }
    if (await this.durable.has(key)) {
      if (token) await this.fast?.markDone(key).catch((error: unknown) => this.fallback('complete', error));
      return { duplicate: true, store: 'durable' };
    }
    return {
      duplicate: false,
      complete: () => this.complete(key),
      release: async () => {
        if (token)
          await this.fast?.release(key, token).catch((error: unknown) => this.fallback('release', error));
      },
    };
  }

  private async complete(key: string): Promise<void> {
    const [durable, fast] = await Promise.allSettled([this.durable.add(key), this.fast?.markDone(key)]);
    if (fast.status === 'rejected') this.fallback('complete', fast.reason);
    if (durable.status === 'rejected') {
      this.log.error(
        { err: messageOf(durable.reason), key },
        'durable idempotency store failed to record a key',
      );
      if (!this.fast || fast.status === 'rejected') throw durable.reason;
    }
  }

  private fallback(operation: 'claim' | 'complete' | 'release', error: unknown): void {
    this.events.emit('idempotencyFallback', { operation, error: messageOf(error) });
    this.log.warn(
      { err: messageOf(error), operation },
      'redis idempotency fast path failed; using the durable store',
    );
  }
}
