import { EventEmitter } from 'node:events';
import type { PartitionLag } from '../kafka/lag.js';
import type { Outcome } from '../pipeline/types.js';

export type BreakerState = 'closed' | 'open' | 'half-open';

/** Where a delivery ended: a handled outcome, or why it was left for later. */
export type DeliveryResult = Outcome | 'paused' | 'interrupted' | 'failed';

interface At {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * The listener's telemetry port: every step announces itself here once, and
 * metrics, health and logs subscribe, so none of them is wired into the
 * middleware that does the work.
 */
export interface ListenerEventMap {
  /** A delivery finished, one way or another. */
  delivery: [At & { result: DeliveryResult; durationMs: number }];
  /** A handler (and its idempotency record) finished; the offset is not committed yet. */
  handled: [At];
  retry: [At & { mode: 'blocking' | 'topics'; attempt: number; delayMs: number }];
  deadLettered: [
    At & { sourceTopic: string; reason: 'fatal' | 'exhausted'; attempts: number; errorClass: string },
  ];
  /** A forwarded record is in the open transaction; its source offset is not committed yet. */
  forwardProduced: [At & { target: string }];
  committed: [{ topic: string; partition: number; offset: string }];
  idempotentHit: [{ key: string; store: 'redis' | 'durable' }];
  /** The Redis fast path failed and the durable store answered alone. */
  idempotencyFallback: [{ operation: 'claim' | 'complete' | 'release'; error: string }];
  breaker: [{ state: BreakerState }];
  paused: [{ paused: boolean; topics: string[] }];
  lag: [{ partitions: PartitionLag[] }];
  connection: [{ connected: boolean; reason: string }];
  /** KafkaJS stopped the consumer for good; only a new process reads again. */
  dead: [{ reason: string }];
}

export class ListenerEvents extends EventEmitter<ListenerEventMap> {}
