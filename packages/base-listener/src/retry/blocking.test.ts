import { describe, expect, it } from 'vitest';
import { fakeDelivery } from '../../test/support/delivery.js';
import { AttemptsExhaustedError, BreakerOpenError } from '../errors/errors.js';
import { ListenerEvents } from '../listener/events.js';
import type { Outcome } from '../pipeline/types.js';
import { blockingRetry } from './blocking.js';

const policy = { initialDelayMs: 1, multiplier: 2, maxDelayMs: 4, jitter: 0 };

/** A handler that throws `failures` errors, one per call, then succeeds. */
function flaky(failures: Error[]) {
  const attempts: number[] = [];
  const next = async (delivery: { attempt: number }): Promise<Outcome> => {
    attempts.push(delivery.attempt);
    const failure = failures.shift();
    if (failure) throw failure;
    return 'success';
  };
  return { attempts, next };
}

function retrying(maxAttempts: number) {
  const events = new ListenerEvents();
  const delays: number[] = [];
  events.on('retry', ({ delayMs }) => delays.push(delayMs));
  const wrap = blockingRetry({ maxAttempts, policy, heartbeatEveryMs: 1_000, events, random: () => 0 });
  return { wrap, delays };
}

describe('blocking retry', () => {
  it('retries a transient failure in place with growing delays until it succeeds', async () => {
    const { wrap, delays } = retrying(5);
    const { attempts, next } = flaky([new Error('timeout'), new Error('timeout'), new Error('timeout')]);
    const delivery = fakeDelivery();
    await expect(wrap(next)(delivery)).resolves.toBe('success');
    expect(attempts).toEqual([1, 2, 3, 4]);
    expect(delays).toEqual([1, 2, 4]);
    expect(delivery.firstFailureAt).toBeDefined();
  });

  it('gives up after the last attempt with the failure as its cause', async () => {
    const { wrap } = retrying(2);
    const { attempts, next } = flaky([new Error('a'), new Error('b'), new Error('c')]);
    const failure = await wrap(next)(fakeDelivery()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AttemptsExhaustedError);
    expect((failure as AttemptsExhaustedError).cause).toEqual(new Error('b'));
    expect(attempts).toEqual([1, 2]);
  });

  it('does not retry a programming error or an open breaker', async () => {
    for (const error of [new TypeError('bug'), new BreakerOpenError('db')]) {
      const { wrap, delays } = retrying(5);
      const { attempts, next } = flaky([error]);
      await expect(wrap(next)(fakeDelivery())).rejects.toBe(error);
      expect(attempts).toEqual([1]);
      expect(delays).toEqual([]);
    }
  });
});
