import type { AnyEvent } from '@chat/contracts';
import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_CORRELATION_ID,
  ATTR_EVENT_TYPE,
  ATTR_MESSAGING_MESSAGE_ID,
  ATTR_ROOM_ID,
} from '../attributes.js';

/** What a span says about the event it handles: its ids, type, correlation id and room. */
export function eventAttributes(event: AnyEvent): Attributes {
  const payload = event.payload as { roomId?: unknown };
  return {
    [ATTR_MESSAGING_MESSAGE_ID]: event.eventId,
    [ATTR_CORRELATION_ID]: event.correlationId,
    [ATTR_EVENT_TYPE]: event.type,
    ...(typeof payload.roomId === 'string' ? { [ATTR_ROOM_ID]: payload.roomId } : {}),
  };
}
