import { describe, expect, it } from 'vitest';
import { fakeDelivery } from '../../test/support/delivery.js';
import { BreakerOpenError } from '../errors/errors.js';
import { DownstreamBreaker } from './breaker.js';
import { breaking } from './middleware.js';

describe('breaker middleware', () => {
  it('runs the handler through the breaker, and not at all while it is open', async () => {
    const breaker = new DownstreamBreaker('unit', {
      errorThresholdPercentage: 50,
      volumeThreshold: 1,
      resetTimeoutMs: 60_000,
      rollingCountTimeoutMs: 10_000,
    });
    let calls = 0;
    let healthy = false;
    const handler = breaking(breaker)(async () => {
      calls += 1;
      if (!healthy) throw new Error('downstream down');
      return 'success';
    });
    await expect(handler(fakeDelivery())).rejects.toThrow('downstream down');
    expect(breaker.state).toBe('open');
    healthy = true;
    await expect(handler(fakeDelivery())).rejects.toBeInstanceOf(BreakerOpenError);
    expect(calls).toBe(1);
  });
});
