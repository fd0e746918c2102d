import { UnknownVersionError, ValidationError } from '@chat/contracts';
import { describe, expect, it } from 'vitest';
import { errorClassOf, errorCodeOf, isRetryable } from './classify.js';
import { AttemptsExhaustedError, BreakerOpenError, ClaimBusyError, ForwardError } from './errors.js';

describe('isRetryable', () => {
  it('never retries contract violations or exhausted records', () => {
    expect(isRetryable(new ValidationError('bad'))).toBe(false);
    expect(isRetryable(new UnknownVersionError('room.created', '2.0', 1))).toBe(false);
    expect(isRetryable(new AttemptsExhaustedError(3, new Error('x')))).toBe(false);
  });

  it('never retries programming errors', () => {
    expect(isRetryable(new TypeError('undefined is not a function'))).toBe(false);
    expect(isRetryable(new RangeError('too deep'))).toBe(false);
  });

  it('retries transient failures and platform errors that say they are retryable', () => {
    expect(isRetryable(new Error('ECONNRESET'))).toBe(true);
    expect(isRetryable(new BreakerOpenError('db'))).toBe(true);
    expect(isRetryable(new ClaimBusyError('k'))).toBe(true);
    expect(isRetryable(new ForwardError('g.dlq', new Error('a'), new Error('b')))).toBe(true);
  });

  it('names errors for headers and logs', () => {
    expect(errorClassOf(new AttemptsExhaustedError(2, new Error('x')))).toBe('AttemptsExhaustedError');
    expect(errorCodeOf(new ValidationError('bad'))).toBe('EVENT_INVALID');
    expect(errorCodeOf(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe('ECONNREFUSED');
    expect(errorClassOf('plain')).toBe('string');
  });
});
