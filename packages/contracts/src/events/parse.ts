import { randomUUID } from 'node:crypto';
import type Joi from 'joi';
import { UnknownVersionError, ValidationError } from '../errors.js';
import { VERSION_PATTERN, envelopeSchema, type Envelope } from '../envelope.js';
import {
  type AnyEvent,
  type EventOf,
  type EventType,
  type PayloadOf,
  definitionOf,
  isEventType,
} from './registry.js';

const describe = (error: Joi.ValidationError): string[] => error.details.map((detail) => detail.message);

/**
 * Turns raw bytes or a decoded object into a checked platform event.
 * Throws `ValidationError` for anything malformed or of an unknown type and
 * `UnknownVersionError` for a major version this code does not know; both
 * are not retryable, so a listener sends the event to its DLQ at once.
 */
export function parseEvent(raw: Buffer | string | unknown): AnyEvent {
  const decoded = decode(raw);
  const envelope = envelopeSchema.validate(decoded, { abortEarly: false, convert: true });
  if (envelope.error) {
    throw new ValidationError(`invalid event envelope: ${envelope.error.message}`, describe(envelope.error));
  }
  const value = envelope.value as Envelope<string, Record<string, unknown>>;
  if (!isEventType(value.type)) {
    throw new ValidationError(`unknown event type "${value.type}"`, undefined, {
      code: 'EVENT_TYPE_UNKNOWN',
    });
  }
  const definition = definitionOf(value.type);
  const [, major, minor] = VERSION_PATTERN.exec(value.version)!.map(Number) as [number, number, number];
  if (major !== definition.major) throw new UnknownVersionError(value.type, value.version, definition.major);

  // A newer minor only adds optional fields: drop them rather than reject the event.
  const payload = definition.payload.joi.validate(value.payload, {
    abortEarly: false,
    convert: true,
    stripUnknown: minor > definition.minor,
  });
  if (payload.error) {
    throw new ValidationError(
      `invalid ${value.type} payload: ${payload.error.message}`,
      describe(payload.error),
    );
  }
  return { ...value, payload: payload.value } as AnyEvent;
}

function decode(raw: unknown): unknown {
  if (typeof raw !== 'string' && !Buffer.isBuffer(raw)) return raw;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new ValidationError('event is not valid JSON', undefined, { cause: error, code: 'EVENT_NOT_JSON' });
  }
}

export interface EventMeta {
  /** Ties the event to the request or action that caused it. */
  correlationId: string;
  /** @defaultValue the new event's `eventId` (every event is its own effect) */
  idempotencyKey?: string;
  /** @defaultValue a random UUID */
  eventId?: string;
  /** @defaultValue now */
  occurredAt?: Date;
}

/** Builds a checked event of the current version; throws `ValidationError` when the payload breaks the contract. */
export function createEvent<T extends EventType>(
  type: T,
  payload: PayloadOf<T>,
  meta: EventMeta,
): EventOf<T> {
  const definition = definitionOf(type);
  const eventId = meta.eventId ?? randomUUID();
  return parseEvent({
    eventId,
    type,
    version: `${definition.major}.${definition.minor}`,
    occurredAt: (meta.occurredAt ?? new Date()).toISOString(),
    correlationId: meta.correlationId,
    idempotencyKey: meta.idempotencyKey ?? eventId,
    payload,
  }) as EventOf<T>;
}

/** Where an event goes: its topic and its Kafka key (the payload field its definition names, e.g. roomId). */
export function routeOf(event: AnyEvent): { topic: string; key: string } {
  const definition = definitionOf(event.type);
  return { topic: definition.topic, key: definition.keyOf(event.payload as never) };
}

/** The bytes a producer sends. */
export function serializeEvent(event: Envelope): Buffer {
  return Buffer.from(JSON.stringify(event), 'utf8');
}
