import { describe, expect, it } from 'vitest';
import { UnknownVersionError, ValidationError } from '../errors.js';
import { MAX_MESSAGE_TEXT_LENGTH } from './messages.js';
import { createEvent, parseEvent, routeOf, serializeEvent } from './parse.js';

const payload = {
  messageId: 'm-1',
  roomId: 'room-1',
  senderId: 'alice',
  clientMessageId: 'c-1',
  text: 'hello',
  sentAt: '2025-01-01T00:00:00.000Z',
};

const raw = (overrides: Record<string, unknown> = {}) => ({
  eventId: '6a0b6f5e-5a55-4b9f-9a1e-0d5c0e4e7e11',
  type: 'chat.message.sent',
  version: '1.0',
  occurredAt: '2025-01-01T00:00:00.000Z',
  correlationId: 'req-1',
  idempotencyKey: 'm-1',
  payload,
  ...overrides,
});

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('parseEvent', () => {
  it('accepts a valid event from bytes, a string or an object', () => {
    const fromBytes = parseEvent(Buffer.from(JSON.stringify(raw())));
    expect(fromBytes).toEqual(raw());
    expect(parseEvent(JSON.stringify(raw()))).toEqual(raw());
    expect(parseEvent(raw())).toEqual(raw());
  });

  it('rejects bytes that are not JSON as a not-retryable validation error', () => {
    const error = thrown(() => parseEvent(Buffer.from('{nope')));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: 'EVENT_NOT_JSON', retryable: false });
  });

  it('lists every envelope problem', () => {
    const error = thrown(() => parseEvent(raw({ eventId: 'x', correlationId: undefined, version: 'v1' })));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details).toHaveLength(3);
  });

  it('rejects an unknown event type', () => {
    expect(thrown(() => parseEvent(raw({ type: 'chat.message.pinned' })))).toMatchObject({
      code: 'EVENT_TYPE_UNKNOWN',
      retryable: false,
    });
  });

  it('rejects an unknown major version instead of guessing', () => {
    const error = thrown(() => parseEvent(raw({ version: '2.0' })));
    expect(error).toBeInstanceOf(UnknownVersionError);
    expect(error).toMatchObject({ code: 'EVENT_VERSION_UNKNOWN', retryable: false, version: '2.0' });
  });

  it('accepts a newer minor version and drops the fields it does not know', () => {
    const event = parseEvent(raw({ version: '1.7', payload: { ...payload, reactions: 3 } }));
    expect(event.payload).toEqual(payload);
  });

  it('rejects unknown payload fields at a known minor version', () => {
    expect(() => parseEvent(raw({ payload: { ...payload, reactions: 3 } }))).toThrow(/reactions/);
  });

  it('enforces payload limits', () => {
    const long = { ...payload, text: 'x'.repeat(MAX_MESSAGE_TEXT_LENGTH + 1) };
    expect(() => parseEvent(raw({ payload: long }))).toThrow(ValidationError);
    expect(() => parseEvent(raw({ payload: { ...payload, senderId: { $ne: null } } }))).toThrow(
      ValidationError,
    );
  });
});

describe('createEvent', () => {
  it('stamps the current version, a fresh id and defaults the idempotency key to it', () => {
    const event = createEvent('chat.message.sent', payload, { correlationId: 'req-9' });
    expect(event.version).toBe('1.0');
    expect(event.idempotencyKey).toBe(event.eventId);
    expect(parseEvent(serializeEvent(event))).toEqual(event);
  });

  it('refuses a payload that breaks the contract', () => {
    expect(() =>
      createEvent('room.renamed', { roomId: 'r', name: '', renamedBy: 'u' }, { correlationId: 'c' }),
    ).toThrow(ValidationError);
  });

  it('routes an event to its topic keyed by its room', () => {
    const event = createEvent('chat.message.sent', payload, { correlationId: 'c', idempotencyKey: 'm-1' });
    expect(routeOf(event)).toEqual({ topic: 'chat.messages.v1', key: 'room-1' });
  });
});
