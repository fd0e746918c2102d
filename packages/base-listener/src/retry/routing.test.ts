import { ValidationError } from '@chat/contracts';
import { describe, expect, it } from 'vitest';
import { AttemptsExhaustedError } from '../errors/errors.js';
import { retryTopicsFor, routeFailure, type RoutingInput } from './routing.js';

const base: RoutingInput = {
  groupId: 'g',
  sourceTopic: 'chat.messages.v1',
  mode: 'topics',
  maxAttempts: 3,
  policy: { initialDelayMs: 1000, multiplier: 3, maxDelayMs: 60_000, jitter: 0 },
  attempts: 1,
  error: new Error('ECONNRESET'),
};

describe('routeFailure', () => {
  it('parks transient failures in growing retry topics, then dead-letters them', () => {
    expect(routeFailure(base)).toEqual({
      kind: 'retry',
      topic: 'g.chat.messages.v1.retry.1',
      retry: 1,
      delayMs: 1000,
    });
    expect(routeFailure({ ...base, attempts: 2 })).toEqual({
      kind: 'retry',
      topic: 'g.chat.messages.v1.retry.2',
      retry: 2,
      delayMs: 3000,
    });
    expect(routeFailure({ ...base, attempts: 3 })).toEqual({
      kind: 'dead-letter',
      topic: 'g.dlq',
      reason: 'exhausted',
    });
  });

  it('sends errors that cannot heal to the DLQ at once', () => {
    expect(routeFailure({ ...base, error: new ValidationError('bad') })).toMatchObject({
      kind: 'dead-letter',
      reason: 'fatal',
    });
    expect(routeFailure({ ...base, error: new TypeError('x') })).toMatchObject({
      kind: 'dead-letter',
      reason: 'fatal',
    });
  });

  it('dead-letters whatever escapes blocking retries', () => {
    const exhausted = new AttemptsExhaustedError(3, new Error('x'));
    expect(routeFailure({ ...base, mode: 'blocking', error: exhausted })).toMatchObject({
      reason: 'exhausted',
    });
    expect(routeFailure({ ...base, mode: 'blocking' })).toMatchObject({ kind: 'dead-letter' });
  });

  it('lists one retry topic per allowed retry', () => {
    expect(retryTopicsFor('g', ['a', 'b'], 3)).toEqual([
      'g.a.retry.1',
      'g.a.retry.2',
      'g.b.retry.1',
      'g.b.retry.2',
    ]);
  });
});
