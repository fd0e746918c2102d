import type { AnyEvent } from '@chat/contracts';
import type { Span } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { InboundRecord, RecordOrigin } from '../kafka/record.js';

/** One record on its way through the middleware. */
export interface Delivery {
  readonly record: InboundRecord;
  readonly origin: RecordOrigin;
  /** The attempt under way, from 1; counts attempts made in earlier deliveries via retry topics too. */
  attempt: number;
  /** Set at the first failure; carried through retry topics into the DLQ record. */
  firstFailureAt?: string;
  /** Set by the validation step. */
  event?: AnyEvent;
  log: Logger;
  span?: Span;
  /** Keeps the group membership alive during long work. */
  heartbeat(): Promise<void>;
  /** Aborted when the listener stops: waits between attempts end early. */
  readonly signal: AbortSignal;
}

/**
 * How a delivery ended when it did not throw; each one lets the partition
 * move on. A thrown error means "not done": the record is read again later.
 */
export type Outcome = 'success' | 'duplicate' | 'skipped' | 'retry-scheduled' | 'dead-lettered';

export type Handler = (delivery: Delivery) => Promise<Outcome>;
export type Middleware = (next: Handler) => Handler;

/** Wraps `handler` so `middleware[0]` runs first (outermost). */
export function compose(middleware: readonly Middleware[], handler: Handler): Handler {
  return middleware.reduceRight<Handler>((next, wrap) => wrap(next), handler);
}
