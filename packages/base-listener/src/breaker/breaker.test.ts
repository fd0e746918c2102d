import { ValidationError } from '@chat/contracts';
import { describe, expect, it } from 'vitest';
import { BreakerOpenError } from '../errors/errors.js';
import type { BreakerState } from '../listener/events.js';
import { DownstreamBreaker } from './breaker.js';

const options = {
  errorThresholdPercentage: 50,
  volumeThreshold: 2,
  resetTimeoutMs: 100,
  rollingCountTimeoutMs: 10_000,
};
const fail = () => Promise.reject(new Error('downstream down'));

describe('DownstreamBreaker', () => {
  it('opens on transient failures, refuses work while open, and closes after a good trial', async () => {
    const breaker = new DownstreamBreaker('db', options);
    const states: BreakerState[] = [];
    breaker.onStateChange((state) => states.push(state));
    await expect(breaker.run(fail)).rejects.toThrow('downstream down');
    await expect(breaker.run(fail)).rejects.toThrow('downstream down');
    expect(breaker.state).toBe('open');

    let ran = false;
    await expect(breaker.run(async () => (ran = true))).rejects.toBeInstanceOf(BreakerOpenError);
    expect(ran).toBe(false);

    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(breaker.state).toBe('half-open');
    await expect(breaker.run(async () => 'ok')).resolves.toBe('ok');
    expect(breaker.state).toBe('closed');
    expect(states).toEqual(['open', 'half-open', 'closed']);
    breaker.shutdown();
  });

  it('does not blame the downstream for poison events', async () => {
    const breaker = new DownstreamBreaker('db', options);
    for (let i = 0; i < 5; i++) {
      await expect(breaker.run(() => Promise.reject(new ValidationError('bad')))).rejects.toBeInstanceOf(
        ValidationError,
      );
    }
    expect(breaker.state).toBe('closed');
    breaker.shutdown();
  });
});
