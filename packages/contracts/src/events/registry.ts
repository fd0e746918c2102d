import type { Envelope, EventDefinition, PayloadOfDefinition } from '../envelope.js';
import { MessageDeleted, MessageEdited } from './message-changes.js';
import { MessageSent } from './messages.js';
import { ReceiptUpdated } from './receipts.js';
import {
  RoomArchived,
  RoomCreated,
  RoomMemberAdded,
  RoomMemberRemoved,
  RoomRenamed,
  RoomSenderBlocked,
  RoomSenderUnblocked,
} from './rooms.js';

/** Every event the platform emits, by type. */
export const EVENTS = {
  [MessageSent.type]: MessageSent,
  [MessageEdited.type]: MessageEdited,
  [MessageDeleted.type]: MessageDeleted,
  [ReceiptUpdated.type]: ReceiptUpdated,
  [RoomCreated.type]: RoomCreated,
  [RoomMemberAdded.type]: RoomMemberAdded,
  [RoomMemberRemoved.type]: RoomMemberRemoved,
  [RoomRenamed.type]: RoomRenamed,
  [RoomArchived.type]: RoomArchived,
  [RoomSenderBlocked.type]: RoomSenderBlocked,
  [RoomSenderUnblocked.type]: RoomSenderUnblocked,
} as const;

export type EventType = keyof typeof EVENTS;
export type PayloadOf<T extends EventType> = PayloadOfDefinition<(typeof EVENTS)[T]>;
export type EventOf<T extends EventType> = Envelope<T, PayloadOf<T>>;
/** Any platform event; narrow it with `event.type`. */
export type AnyEvent = { [T in EventType]: EventOf<T> }[EventType];

export const EVENT_TYPES = Object.keys(EVENTS) as EventType[];

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(EVENTS, type);
}

export function definitionOf<T extends EventType>(type: T): EventDefinition<T, PayloadOf<T>> {
  return EVENTS[type] as unknown as EventDefinition<T, PayloadOf<T>>;
}
