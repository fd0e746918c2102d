import {
  type AnyEvent,
  type ChatMessage,
  type EventMeta,
  type EventOf,
  type EventType,
  type PayloadOf,
  createEvent,
  serializeEvent,
} from '@chat/contracts';
import type { KafkaMessage } from 'kafkajs';
import { uniqueName } from './unique-name.js';

/** The room event types (`room.*`), whose payload a test always states in full. */
type RoomEventType = Extract<EventType, `room.${string}`>;

let counter = 0;

/**
 * A valid `chat.message.sent` for `roomId`; its idempotency key is its
 * message id. Any payload field or meta field may be given instead.
 */
export function messageSent(
  roomId: string,
  fields: Partial<PayloadOf<'chat.message.sent'>> = {},
  meta: Partial<EventMeta> = {},
): EventOf<'chat.message.sent'> {
  counter += 1;
  const messageId = fields.messageId ?? uniqueName(`m${counter}`);
  return createEvent(
    'chat.message.sent',
    {
      messageId,
      roomId,
      senderId: 'alice',
      clientMessageId: `c-${messageId}`,
      text: 'hello',
      sentAt: new Date().toISOString(),
      ...fields,
    },
    { correlationId: uniqueName('corr'), idempotencyKey: messageId, ...meta },
  );
}

/** A valid `chat.receipt.updated`: `userId` got `messageId` in `roomId`, unless told otherwise. */
export function receiptUpdated(
  roomId: string,
  messageId: string,
  fields: Partial<PayloadOf<'chat.receipt.updated'>> = {},
  meta: Partial<EventMeta> = {},
): EventOf<'chat.receipt.updated'> {
  return createEvent(
    'chat.receipt.updated',
    { roomId, messageId, userId: 'bob', status: 'delivered', at: new Date().toISOString(), ...fields },
    { correlationId: uniqueName('corr'), ...meta },
  );
}

/** A valid room event of `type` (its payload is checked by the contract, as the room service's are). */
export function roomEvent<T extends RoomEventType>(
  type: T,
  payload: PayloadOf<T>,
  meta: Partial<EventMeta> = {},
): EventOf<T> {
  return createEvent(type, payload, { correlationId: uniqueName('corr'), ...meta });
}

/** A record carrying `event` the way the kit's Publisher sends it: keyed by room, JSON value. */
export function recordOf(
  event: { payload: { roomId: string } },
  headers?: Record<string, string>,
): { key: string; value: string; headers?: Record<string, string> } {
  return { key: event.payload.roomId, value: JSON.stringify(event), ...(headers ? { headers } : {}) };
}

/** A delivered message at `position`, as the gateway hands it to clients (id `m<position>` unless told). */
export function chatMessage(position: number, roomId = 'r', messageId = `m${position}`): ChatMessage {
  return {
    messageId,
    roomId,
    senderId: 'u',
    clientMessageId: messageId,
    text: 't',
    sentAt: new Date(0).toISOString(),
    position,
  };
}

/** A valid `chat.message.edited` of `messageId` by its sender `alice`; its idempotency key names the edit. */
export function messageEdited(
  roomId: string,
  messageId: string,
  text: string,
  fields: Partial<PayloadOf<'chat.message.edited'>> = {},
): EventOf<'chat.message.edited'> {
  const clientRequestId = fields.clientRequestId ?? uniqueName('edit');
  return createEvent(
    'chat.message.edited',
    {
      messageId,
      roomId,
      editorId: 'alice',
      clientRequestId,
      text,
      editedAt: new Date().toISOString(),
      ...fields,
    },
    { correlationId: uniqueName('corr'), idempotencyKey: `change:${clientRequestId}` },
  );
}

/** A valid `chat.message.deleted` of `messageId` by `alice`. */
export function messageDeleted(
  roomId: string,
  messageId: string,
  fields: Partial<PayloadOf<'chat.message.deleted'>> = {},
): EventOf<'chat.message.deleted'> {
  const clientRequestId = fields.clientRequestId ?? uniqueName('delete');
  return createEvent(
    'chat.message.deleted',
    {
      messageId,
      roomId,
      deletedBy: 'alice',
      clientRequestId,
      deletedAt: new Date().toISOString(),
      ...fields,
    },
    { correlationId: uniqueName('corr'), idempotencyKey: `change:${clientRequestId}` },
  );
}

/** A consumed record of `event` as KafkaJS hands it to `eachBatch`: keyed by its room, at `offset`. */
export function consumedRecord(
  event: AnyEvent & { payload: { roomId: string } },
  offset: number,
  headers: Record<string, Buffer> = {},
): KafkaMessage {
  return {
    key: Buffer.from(event.payload.roomId),
    value: serializeEvent(event),
    offset: String(offset),
    timestamp: String(Date.now()),
    attributes: 0,
    headers,
  };
}
