import CircuitBreaker from 'opossum';
import { isRetryable } from '../errors/classify.js';
import { BreakerOpenError } from '../errors/errors.js';
import type { BreakerState } from '../listener/events.js';

export interface BreakerOptions {
  /** Failure percentage within the rolling window that opens the breaker. */
  errorThresholdPercentage: number;
  /** Calls within the window before the breaker may open at all. */
  volumeThreshold: number;
  /** How long the breaker stays open before letting one trial call through. */
  resetTimeoutMs: number;
  /** Length of the rolling statistics window. */
  rollingCountTimeoutMs: number;
}

/**
 * An opossum breaker around a listener's downstream work. Only transient
 * failures count against the downstream: a poison event is the event's
 * fault, not the database's. There is no call timeout: a timed-out handler
 * would keep running and could apply its effect after we gave up on it.
 */
export class DownstreamBreaker {
  private readonly breaker: CircuitBreaker<[() => Promise<unknown>], unknown>;
  private readonly listeners = new Set<(state: BreakerState) => void>();

  constructor(
    readonly name: string,
    options: BreakerOptions,
  ) {
    this.breaker = new CircuitBreaker((work: () => Promise<unknown>) => work(), {
      name,
      timeout: false,
      errorThresholdPercentage: options.errorThresholdPercentage,
      volumeThreshold: options.volumeThreshold,
      resetTimeout: options.resetTimeoutMs,
      rollingCountTimeout: options.rollingCountTimeoutMs,
      errorFilter: (error: unknown) => !isRetryable(error),
      // Opossum sorts every latency in the window on each failure to keep percentiles nobody
      // reads (latency is in our histograms): under a burst of failures that sort ate the CPU.
      rollingPercentilesEnabled: false,
    });
    this.breaker.on('open', () => this.notify('open'));
    this.breaker.on('halfOpen', () => this.notify('half-open'));
    this.breaker.on('close', () => this.notify('closed'));
  }

  get state(): BreakerState {
    if (this.breaker.opened) return 'open';
    if (this.breaker.halfOpen) return 'half-open';
    return 'closed';
  }

  /** Runs `work` through the breaker; rejects with `BreakerOpenError` without running it while open. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    try {
      return (await this.breaker.fire(work)) as T;
    } catch (error) {
      if ((error as { code?: unknown }).code === 'EOPENBREAKER') throw new BreakerOpenError(this.name, error);
      throw error;
    }
  }

  onStateChange(listener: (state: BreakerState) => void): void {
    this.listeners.add(listener);
  }

  shutdown(): void {
    this.breaker.shutdown();
    this.listeners.clear();
  }

  private notify(state: BreakerState): void {
    for (const listener of this.listeners) listener(state);
  }
}
