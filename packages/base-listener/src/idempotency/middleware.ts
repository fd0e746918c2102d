import type { ListenerEvents } from '../listener/events.js';
import type { Middleware } from '../pipeline/types.js';
import type { IdempotencyGuard } from './guard.js';

/**
 * Applies each idempotency key's effect once per consumer group. The key is
 * recorded only after the handler succeeded: recording it before would turn
 * a failed attempt into a silently dropped event.
 */
export function idempotency(guard: IdempotencyGuard, events: ListenerEvents): Middleware {
  return (next) => async (delivery) => {
    const key = delivery.event!.idempotencyKey;
    const claim = await guard.claim(key);
    if (claim.duplicate) {
      events.emit('idempotentHit', { key, store: claim.store });
      delivery.log.info({ key, store: claim.store }, 'duplicate event acknowledged without applying it');
      return 'duplicate';
    }
    let outcome;
    try {
      outcome = await next(delivery);
    } catch (error) {
      await claim.release();
      throw error;
    }
    await claim.complete();
    return outcome;
  };
}
