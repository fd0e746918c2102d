import type { PartitionLag } from '../kafka/lag.js';
import type { BreakerState, ListenerEvents } from '../listener/events.js';

/** What a readiness endpoint serves for one listener. */
export interface ListenerHealth {
  listener: string;
  groupId: string;
  /** `down` when not connected to its group; `degraded` while paused or the breaker is not closed. */
  status: 'up' | 'degraded' | 'down';
  connected: boolean;
  paused: boolean;
  breaker: BreakerState | 'disabled';
  lag: { total: number; partitions: PartitionLag[]; updatedAt?: string };
  /** Last time a record was handled (applied, or acknowledged as a duplicate or skip). */
  lastSuccessAt?: string;
}

/** Keeps the latest health facts from the listener's telemetry. */
export class HealthTracker {
  private connected = false;
  private paused = false;
  private breaker: BreakerState | 'disabled';
  private lag: ListenerHealth['lag'] = { total: 0, partitions: [] };
  private lastSuccessAt: string | undefined;

  constructor(
    events: ListenerEvents,
    private readonly identity: { listener: string; groupId: string; breakerEnabled: boolean },
  ) {
    this.breaker = identity.breakerEnabled ? 'closed' : 'disabled';
    events.on('connection', ({ connected }) => (this.connected = connected));
    events.on('paused', ({ paused }) => (this.paused = paused));
    events.on('breaker', ({ state }) => (this.breaker = state));
    events.on('lag', ({ partitions }) => {
      this.lag = {
        total: partitions.reduce((sum, partition) => sum + partition.lag, 0),
        partitions,
        updatedAt: new Date().toISOString(),
      };
    });
    events.on('delivery', ({ result }) => {
      if (result === 'success' || result === 'duplicate' || result === 'skipped')
        this.lastSuccessAt = new Date().toISOString();
    });
  }

  snapshot(): ListenerHealth {
    const degraded = this.paused || (this.breaker !== 'closed' && this.breaker !== 'disabled');
    return {
      listener: this.identity.listener,
      groupId: this.identity.groupId,
      status: !this.connected ? 'down' : degraded ? 'degraded' : 'up',
      connected: this.connected,
      paused: this.paused,
      breaker: this.breaker,
      lag: this.lag,
      ...(this.lastSuccessAt ? { lastSuccessAt: this.lastSuccessAt } : {}),
    };
  }
}
