import type { AnyEvent } from '@chat/contracts';
import type { InboundRecord } from '../kafka/record.js';
import type { Middleware } from '../pipeline/types.js';

export interface ValidationOptions {
  /** Decodes and checks a record; throws a not-retryable error (ValidationError, UnknownVersionError) when it cannot. */
  validate(record: InboundRecord): AnyEvent;
  /** Whether this listener handles the type; others on its topics are acknowledged and skipped. */
  accepts(type: string): boolean;
}

/** Decodes the record into a checked event before anything else may look at it. */
export function validation(options: ValidationOptions): Middleware {
  return (next) => async (delivery) => {
    const event = options.validate(delivery.record);
    delivery.event = event;
    delivery.log = delivery.log.child({
      eventId: event.eventId,
      correlationId: event.correlationId,
      eventType: event.type,
    });
    if (!options.accepts(event.type)) return 'skipped';
    return next(delivery);
  };
}
