import Joi from 'joi';
import type { TopicName } from './topics.js';
import { type Field, type InferShape, type Shape, t } from './schema/field.js';

/**
 * What every event carries around its payload.
 *
 * `version` is `"<major>.<minor>"`: a minor bump only adds optional payload
 * fields, so an older consumer accepts it and drops what it does not know; a
 * major bump changes meaning, so a consumer that does not know the major
 * rejects the event (to the DLQ) instead of guessing.
 */
export interface Envelope<Type extends string = string, Payload = unknown> {
  /** Unique per event (UUID); also what traces and logs call the event. */
  eventId: string;
  type: Type;
  /** `"<major>.<minor>"`, e.g. `"1.0"`. */
  version: string;
  /** ISO-8601 time the fact happened at the producer. */
  occurredAt: string;
  /** Ties together every event caused by one user action or request. */
  correlationId: string;
  /** Same value for the same effect: consumers apply an event with a key they have already applied once only. */
  idempotencyKey: string;
  payload: Payload;
}

export const VERSION_PATTERN = /^(\d{1,4})\.(\d{1,4})$/;

/** Printable ASCII without spaces: safe in headers, log fields and Redis keys. */
const token = (max: number): Field<string> =>
  t.string(
    Joi.string()
      .min(1)
      .max(max)
      .pattern(/^[\x21-\x7e]+$/, 'token'),
  );

/** The envelope without its payload's contract, which depends on `type`. */
export const envelopeSchema = Joi.object({
  eventId: t.uuid().joi.required(),
  type: token(128).joi.required(),
  version: Joi.string().pattern(VERSION_PATTERN, 'major.minor').required(),
  occurredAt: t.isoDate().joi.required(),
  correlationId: token(128).joi.required(),
  idempotencyKey: token(256).joi.required(),
  payload: Joi.object().required(),
});

export interface EventDefinition<Type extends string = string, Payload = unknown> {
  type: Type;
  /** The topic the event is published to. */
  topic: TopicName;
  /** Payload field used as the Kafka key, so related events share a partition and keep their order. */
  key: string;
  /** The one major version this code reads and writes. */
  major: number;
  /** The newest minor version this code knows. */
  minor: number;
  payload: Field<Payload>;
  /** Picks the Kafka key out of a payload. */
  keyOf(payload: Payload): string;
}

type StringKeys<T> = { [K in keyof T]-?: T[K] extends string ? K : never }[keyof T] & string;

/** Declares an event once: its payload fields give both the TypeScript type and the Joi schema. */
export function defineEvent<const Type extends string, S extends Shape>(definition: {
  type: Type;
  topic: TopicName;
  key: StringKeys<InferShape<S>>;
  major: number;
  minor: number;
  payload: S;
}): EventDefinition<Type, InferShape<S>> {
  const payload = t.object(definition.payload);
  const key = definition.key;
  return {
    type: definition.type,
    topic: definition.topic,
    key,
    major: definition.major,
    minor: definition.minor,
    payload,
    keyOf: (value) => (value as Record<string, string>)[key] as string,
  };
}

export type PayloadOfDefinition<D> = D extends EventDefinition<string, infer P> ? P : never;
