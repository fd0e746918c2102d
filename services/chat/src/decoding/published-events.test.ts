import { parseEvent, serializeEvent, ValidationError, type AnyEvent } from '@chat/contracts';
import { messageDeleted, messageEdited, messageSent, receiptUpdated, roomEvent } from '@chat/testkit/events';
import { describe, expect, it } from 'vitest';
import { PublishedEvents, type DecodeSource } from './published-events.js';

function remembering(capacity?: number) {
  const sources: DecodeSource[] = [];
  const published = new PublishedEvents((source) => sources.push(source), capacity);
  const publish = (event: AnyEvent): Buffer => {
    const value = serializeEvent(event);
    published.remember(event, value);
    return value;
  };
  return { published, publish, sources };
}

describe('events this instance published, read back without a parse', () => {
  it('hands out the event a record was published from, and what a parse of it would give', () => {
    const { published, publish, sources } = remembering();
    const events: AnyEvent[] = [
      messageSent('r1', { text: 'héllo 👋 \u00e9' }),
      messageEdited('r1', 'm1', 'edited'),
      messageDeleted('r1', 'm1'),
      receiptUpdated('r1', 'm1'),
      roomEvent('room.created', {
        roomId: 'r1',
        name: 'general',
        createdBy: 'alice',
        memberIds: ['alice', 'bob'],
      }),
    ];
    for (const event of events) {
      // A copy of the bytes, as a consumer's fetch holds them: equal content, another buffer.
      const consumed = Buffer.from(publish(event));
      const decoded = published.decode(consumed);
      expect(decoded).toBe(event);
      // What makes the shortcut sound: a checked event parses back to itself.
      expect(parseEvent(consumed)).toEqual(decoded);
    }
    expect(sources).toEqual(events.map(() => 'published'));
  });

  it('parses a record it did not publish, even one naming a remembered event id', () => {
    const { published, publish, sources } = remembering();
    const mine = messageSent('r1');
    publish(mine);
    const other = { ...mine, payload: { ...mine.payload, text: 'not what was sent' } };
    const decoded = published.decode(serializeEvent(other));
    expect(decoded).not.toBe(mine);
    expect(decoded.payload).toMatchObject({ text: 'not what was sent' });
    expect(sources).toEqual(['parsed']);
  });

  it('refuses a malformed record as a parse does', () => {
    const { published, sources } = remembering();
    expect(() => published.decode(Buffer.from('{"eventId":'))).toThrow(ValidationError);
    expect(() => published.decode(Buffer.from(JSON.stringify({ type: 'chat.message.sent' })))).toThrow(
      ValidationError,
    );
    expect(sources).toEqual(['parsed', 'parsed']);
  });

  it('keeps only the newest events, so its memory is bounded', () => {
    const { published, publish, sources } = remembering(2);
    const [first, second, third] = [messageSent('r1'), messageSent('r1'), messageSent('r1')];
    const values = [first, second, third].map(publish);
    expect(published.decode(values[0]!)).toEqual(first);
    expect(published.decode(values[1]!)).toBe(second);
    expect(published.decode(values[2]!)).toBe(third);
    expect(sources).toEqual(['parsed', 'published', 'published']);
  });

  it('freezes what it hands out: consumers share one object', () => {
    const { published, publish } = remembering();
    const event = roomEvent('room.created', {
      roomId: 'r1',
      name: 'general',
      createdBy: 'alice',
      memberIds: ['alice'],
    });
    const decoded = published.decode(publish(event)) as Extract<AnyEvent, { type: 'room.created' }>;
    expect(() => {
      (decoded.payload as { name: string }).name = 'changed';
    }).toThrow(TypeError);
    expect(() => decoded.payload.memberIds.push('mallory')).toThrow(TypeError);
  });
});
