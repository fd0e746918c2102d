import { HEADERS, ValidationError, deadLetterHeaders, retryHeaders } from '@chat/contracts';
import { describe, expect, it } from 'vitest';
import { AttemptsExhaustedError } from '../errors/errors.js';
import type { InboundRecord } from '../kafka/record.js';
import { originOf } from '../kafka/record.js';
import { deadLetterOf } from './dead-letter-of.js';
import { retryRecord } from './records.js';

const record: InboundRecord = {
  topic: 'chat.messages.v1',
  partition: 2,
  offset: '41',
  key: Buffer.from('room-1'),
  value: Buffer.from('{"x":1}'),
  headers: { [HEADERS.traceparent]: '00-abc-def-01', custom: 'kept' },
  timestamp: Date.parse('2025-01-01T00:00:00.000Z'),
};

describe('forwarded records', () => {
  it('keeps the original key, value and headers and adds the dead-letter context', () => {
    const letter = deadLetterOf(record, {
      topic: 'g.dlq',
      groupId: 'g',
      reason: 'fatal',
      attempts: 1,
      error: new ValidationError('bad'),
    });
    expect(letter.topic).toBe('g.dlq');
    expect(letter.key).toEqual(record.key);
    expect(letter.value).toEqual(record.value);
    expect(letter.headers).toMatchObject(record.headers);
    expect(deadLetterHeaders.decode(letter.headers)).toMatchObject({
      originalTopic: 'chat.messages.v1',
      originalPartition: 2,
      originalOffset: '41',
      originalTimestamp: '2025-01-01T00:00:00.000Z',
      consumerGroup: 'g',
      reason: 'fatal',
      errorClass: 'ValidationError',
      errorCode: 'EVENT_INVALID',
      attempts: 1,
    });
  });

  it('records the last real error of exhausted retries, and clips huge messages', () => {
    const cause = new Error('x'.repeat(10_000));
    const letter = deadLetterOf(record, {
      topic: 'g.dlq',
      groupId: 'g',
      reason: 'exhausted',
      attempts: 3,
      error: new AttemptsExhaustedError(3, cause),
    });
    const context = deadLetterHeaders.decode(letter.headers)!;
    expect(context.errorClass).toBe('Error');
    expect(context.errorMessage.length).toBeLessThan(2_100);
    expect(context.attempts).toBe(3);
  });

  it('traces a record through retry topics back to where it first arrived', () => {
    const parked = retryRecord(
      { record, origin: originOf(record), firstFailureAt: '2025-01-01T00:00:01.000Z' },
      { topic: 'g.chat.messages.v1.retry.1', attempts: 1, delayMs: 1_000, error: new Error('timeout') },
    );
    const retried: InboundRecord = {
      ...record,
      topic: parked.topic,
      offset: '0',
      headers: parked.headers,
      partition: 2,
    };
    expect(retryHeaders.decode(parked.headers)).toMatchObject({ attempts: 1, errorMessage: 'timeout' });
    expect(originOf(retried)).toMatchObject({
      topic: 'chat.messages.v1',
      partition: 2,
      offset: '41',
      priorAttempts: 1,
      firstFailureAt: '2025-01-01T00:00:01.000Z',
    });

    const letter = deadLetterOf(retried, {
      topic: 'g.dlq',
      groupId: 'g',
      reason: 'exhausted',
      attempts: 2,
      error: new Error('timeout'),
    });
    expect(retryHeaders.decode(letter.headers)).toBeUndefined();
    expect(deadLetterHeaders.decode(letter.headers)).toMatchObject({
      originalTopic: 'chat.messages.v1',
      originalOffset: '41',
      firstFailureAt: '2025-01-01T00:00:01.000Z',
    });
  });
});
