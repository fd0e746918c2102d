import Joi from 'joi';
import { ValidationError } from './errors.js';
import { type InferShape, type Shape, objectSchema, t } from './schema/field.js';

/** Kafka header names every producer and consumer on the platform agrees on. */
export const HEADERS = {
  /** W3C trace context, injected by the publisher and continued by the listener. */
  traceparent: 'traceparent',
  tracestate: 'tracestate',
  /** Set on a record re-published from a DLQ: `<dlq topic>:<partition>:<offset>` it came from. */
  replayedFrom: 'chat-replayed-from',
} as const;

/**
 * Dead-letter headers, in the spirit of Spring Kafka's `DLT_ORIGINAL_*`: the
 * record in the DLQ keeps its original key, value and headers and gains these.
 */
export const DEAD_LETTER_HEADERS = {
  originalTopic: 'chat-dlt-original-topic',
  originalPartition: 'chat-dlt-original-partition',
  originalOffset: 'chat-dlt-original-offset',
  originalTimestamp: 'chat-dlt-original-timestamp',
  consumerGroup: 'chat-dlt-original-consumer-group',
  reason: 'chat-dlt-reason',
  errorClass: 'chat-dlt-exception-class',
  errorCode: 'chat-dlt-exception-code',
  errorMessage: 'chat-dlt-exception-message',
  errorStack: 'chat-dlt-exception-stacktrace',
  attempts: 'chat-dlt-attempts',
  firstFailureAt: 'chat-dlt-first-failure-timestamp',
  deadLetteredAt: 'chat-dlt-timestamp',
} as const;

/** Headers on a record parked in a retry topic (`<group>.<topic>.retry.<n>`). */
export const RETRY_HEADERS = {
  originalTopic: 'chat-retry-original-topic',
  originalPartition: 'chat-retry-original-partition',
  originalOffset: 'chat-retry-original-offset',
  originalTimestamp: 'chat-retry-original-timestamp',
  /** Attempts already made, including the one that sent the record here. */
  attempts: 'chat-retry-attempts',
  /** When the next attempt may run. */
  dueAt: 'chat-retry-due-timestamp',
  firstFailureAt: 'chat-retry-first-failure-timestamp',
  errorClass: 'chat-retry-exception-class',
  errorMessage: 'chat-retry-exception-message',
} as const;

/** Why a record was dead-lettered: it can never succeed, or it ran out of attempts. */
export const DEAD_LETTER_REASONS = ['fatal', 'exhausted'] as const;

const offset = () => t.string(Joi.string().pattern(/^\d+$/, 'offset'));
const count = () => t.int(Joi.number().min(0));
const text = () => t.string(Joi.string().allow(''));

const deadLetterShape = {
  originalTopic: t.string(),
  originalPartition: count(),
  originalOffset: offset(),
  originalTimestamp: t.isoDate(),
  consumerGroup: t.string(),
  reason: t.literal(...DEAD_LETTER_REASONS),
  errorClass: t.string(),
  errorCode: t.optional(t.string()),
  errorMessage: text(),
  errorStack: t.optional(text()),
  attempts: t.int(Joi.number().min(1)),
  firstFailureAt: t.isoDate(),
  deadLetteredAt: t.isoDate(),
};

const retryShape = {
  originalTopic: t.string(),
  originalPartition: count(),
  originalOffset: offset(),
  originalTimestamp: t.isoDate(),
  attempts: t.int(Joi.number().min(1)),
  dueAt: t.isoDate(),
  firstFailureAt: t.isoDate(),
  errorClass: t.string(),
  errorMessage: text(),
};

/** Everything a DLQ record says about where it came from and why it failed. */
export type DeadLetterContext = InferShape<typeof deadLetterShape>;
/** Everything a retry-topic record says about its source and its attempts so far. */
export type RetryContext = InferShape<typeof retryShape>;

export type RecordHeaders = Record<string, string | undefined>;

/** Encodes a typed context as string headers and back, validating on the way in. */
export interface HeaderCodec<T> {
  readonly names: Readonly<Record<keyof T & string, string>>;
  encode(context: T): Record<string, string>;
  /** Undefined when the headers carry none of this context; `ValidationError` when they carry a broken one. */
  decode(headers: RecordHeaders): T | undefined;
}

function headerCodec<S extends Shape>(
  shape: S,
  names: Record<keyof S & string, string>,
  what: string,
): HeaderCodec<InferShape<S>> {
  const schema = objectSchema(shape);
  const fields = Object.entries(names) as [string, string][];
  return {
    names,
    encode(context) {
      const headers: Record<string, string> = {};
      for (const [field, header] of fields) {
        const value = (context as Record<string, unknown>)[field];
        if (value !== undefined) headers[header] = String(value);
      }
      return headers;
    },
    decode(headers) {
      const raw: Record<string, string> = {};
      for (const [field, header] of fields) {
        const value = headers[header];
        if (value !== undefined) raw[field] = value;
      }
      if (Object.keys(raw).length === 0) return undefined;
      const { value, error } = schema.validate(raw, { abortEarly: false, convert: true });
      if (error) throw new ValidationError(`invalid ${what} headers: ${error.message}`);
      return value as InferShape<S>;
    },
  };
}

export const deadLetterHeaders = headerCodec(deadLetterShape, DEAD_LETTER_HEADERS, 'dead-letter');
export const retryHeaders = headerCodec(retryShape, RETRY_HEADERS, 'retry');

/** The headers a record had before the platform added retry or dead-letter context to it. */
export function withoutDeliveryHeaders(headers: RecordHeaders): Record<string, string> {
  const added = new Set<string>([...Object.values(DEAD_LETTER_HEADERS), ...Object.values(RETRY_HEADERS)]);
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !added.has(name)) kept[name] = value;
  }
  return kept;
}
