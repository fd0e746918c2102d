import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors.js';
import {
  DEAD_LETTER_HEADERS,
  HEADERS,
  type DeadLetterContext,
  deadLetterHeaders,
  retryHeaders,
  withoutDeliveryHeaders,
} from './headers.js';

const context: DeadLetterContext = {
  originalTopic: 'chat.messages.v1',
  originalPartition: 3,
  originalOffset: '42',
  originalTimestamp: '2025-01-01T00:00:00.000Z',
  consumerGroup: 'persistence',
  reason: 'exhausted',
  errorClass: 'AttemptsExhaustedError',
  errorCode: 'ATTEMPTS_EXHAUSTED',
  errorMessage: 'gave up after 3 attempts',
  errorStack: 'Error: boom\n    at x',
  attempts: 3,
  firstFailureAt: '2025-01-01T00:00:01.000Z',
  deadLetteredAt: '2025-01-01T00:00:05.000Z',
};

describe('dead-letter headers', () => {
  it('round-trip a context through string headers', () => {
    const headers = deadLetterHeaders.encode(context);
    expect(headers[DEAD_LETTER_HEADERS.originalPartition]).toBe('3');
    expect(deadLetterHeaders.decode(headers)).toEqual(context);
  });

  it('say when a record carries no dead-letter context', () => {
    expect(deadLetterHeaders.decode({ [HEADERS.traceparent]: '00-abc' })).toBeUndefined();
  });

  it('refuse a broken context', () => {
    const headers = deadLetterHeaders.encode(context);
    expect(() => deadLetterHeaders.decode({ ...headers, [DEAD_LETTER_HEADERS.attempts]: 'many' })).toThrow(
      ValidationError,
    );
  });

  it('strip retry and dead-letter context to give back the original headers', () => {
    const retry = retryHeaders.encode({
      originalTopic: 't',
      originalPartition: 0,
      originalOffset: '1',
      originalTimestamp: '2025-01-01T00:00:00.000Z',
      attempts: 1,
      dueAt: '2025-01-01T00:00:00.000Z',
      firstFailureAt: '2025-01-01T00:00:00.000Z',
      errorClass: 'Error',
      errorMessage: '',
    });
    const original = { [HEADERS.traceparent]: '00-abc-def-01', custom: 'x' };
    expect(withoutDeliveryHeaders({ ...original, ...retry, ...deadLetterHeaders.encode(context) })).toEqual(
      original,
    );
  });
});
