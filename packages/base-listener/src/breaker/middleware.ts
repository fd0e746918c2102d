import type { Middleware } from '../pipeline/types.js';
import type { DownstreamBreaker } from './breaker.js';

/** Sends the handler's downstream work through the breaker; while it is open, the work does not run. */
export function breaking(breaker: DownstreamBreaker): Middleware {
  return (next) => (delivery) => breaker.run(() => next(delivery));
}
