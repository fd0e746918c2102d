import { describe, expect, expectTypeOf, it } from 'vitest';
import { PLATFORM_TOPICS } from '../topics.js';
import { EVENTS, EVENT_TYPES, type AnyEvent, type EventOf, type PayloadOf } from './registry.js';

describe('event registry', () => {
  it('lists each definition under its own type', () => {
    for (const [type, definition] of Object.entries(EVENTS)) expect(definition.type).toBe(type);
    expect(EVENT_TYPES).toHaveLength(11);
  });

  it('publishes every event to a platform topic, keyed by a required payload field', () => {
    const topics = PLATFORM_TOPICS.map((topic) => topic.name);
    for (const definition of Object.values(EVENTS)) {
      expect(topics).toContain(definition.topic);
      const described = definition.payload.joi.describe() as {
        keys: Record<string, { flags?: { presence?: string } }>;
      };
      expect(described.keys[definition.key]?.flags?.presence).toBe('required');
    }
  });

  it('types payloads from their definitions', () => {
    expectTypeOf<PayloadOf<'chat.message.sent'>>().toEqualTypeOf<{
      messageId: string;
      roomId: string;
      senderId: string;
      clientMessageId: string;
      text: string;
      sentAt: string;
    }>();
    expectTypeOf<PayloadOf<'chat.receipt.updated'>['status']>().toEqualTypeOf<'delivered' | 'read'>();
    expectTypeOf<PayloadOf<'room.created'>['memberIds']>().toEqualTypeOf<string[]>();
    expectTypeOf<EventOf<'room.archived'>['type']>().toEqualTypeOf<'room.archived'>();
  });

  it('narrows the event union by type', () => {
    const roomOf = (event: AnyEvent): string => {
      if (event.type === 'room.renamed') {
        expectTypeOf(event.payload).toEqualTypeOf<PayloadOf<'room.renamed'>>();
      }
      return event.payload.roomId;
    };
    expect(roomOf).toBeTypeOf('function');
  });
});
