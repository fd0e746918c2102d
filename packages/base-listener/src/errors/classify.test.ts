import { UnknownVersionError, ValidationError } from '@chat/contracts';
import { describe, expect, it } from 'vitest';
import { errorClassOf, errorCodeOf, isRetriable } from './classify.js';
import { AttemptsExhaustedError, BreakerOpenError, ClaimBusyError, ForwardError } from './errors.js';

describe('isRetriable', () => {
  it('never retries contract violations or exhausted records', () => {
    expect(isRetriable(new ValidationError('bad'))).toBe(false);
    expect(isRetriable(new UnknownVersionError('room.created', '2.0', 1))).toBe(false);
    expect(isRetriable(new AttemptsExhaustedError(3, new Error('x')))).toBe(false);
  });

  it('never retries programming errors', () => {
    expect(isRetriable(new TypeError('undefined is not a function'))).toBe(false);
    expect(isRetriable(new RangeError('too deep'))).toBe(false);
  });

  it('retries transient failures and platform errors that say they are retriable', () => {
    expect(isRetriable(new Error('ECONNRESET'))).toBe(true);
    expect(isRetriable(new BreakerOpenError('db'))).toBe(true);
    expect(isRetriable(new ClaimBusyError('k'))).toBe(true);
    expect(isRetriable(new ForwardError('g.dlq', new Error('a'), new Error('b')))).toBe(true);
  });

  it('names errors for headers and logs', () => {
    expect(errorClassOf(new AttemptsExhaustedError(2, new Error('x')))).toBe('AttemptsExhaustedError');
    expect(errorCodeOf(new ValidationError('bad'))).toBe('EVENT_INVALID');
    expect(errorCodeOf(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe('ECONNREFUSED');
    expect(errorClassOf('plain')).toBe('string');
  });
});
