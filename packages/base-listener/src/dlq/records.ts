import { deadLetterHeaders, retryHeaders, withoutDeliveryHeaders } from '@chat/contracts';
import { errorClassOf, errorCodeOf } from '../errors/classify.js';
import { AttemptsExhaustedError, messageOf } from '../errors/errors.js';
import type { OutboundRecord } from '../kafka/forwarder.js';
import type { Delivery } from '../pipeline/types.js';

/** What a forwarded copy is built from: the record, where it first arrived, and when it first failed. */
export type FailedRecord = Pick<Delivery, 'record' | 'origin' | 'firstFailureAt'>;

/** Header values are bounded: a 1 MB stack trace must not make the DLQ record itself too big to send. */
const MAX_MESSAGE = 2_000;
const MAX_STACK = 8_000;

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);

/** The failure worth recording: for exhausted retries, the last real error rather than the wrapper. */
function rootOf(error: unknown): unknown {
  return error instanceof AttemptsExhaustedError ? error.cause : error;
}

/** The DLQ copy: original key, value and headers, plus where it came from and why it failed. */
export function deadLetterRecord(
  delivery: Pick<Delivery, 'record' | 'origin' | 'firstFailureAt'>,
  options: {
    topic: string;
    groupId: string;
    reason: 'fatal' | 'exhausted';
    attempts: number;
    error: unknown;
  },
): OutboundRecord {
  const root = rootOf(options.error);
  const stack = root instanceof Error ? root.stack : undefined;
  const { origin, record } = delivery;
  return {
    topic: options.topic,
    key: record.key,
    value: record.value,
    headers: {
      ...withoutDeliveryHeaders(record.headers),
      ...deadLetterHeaders.encode({
        originalTopic: origin.topic,
        originalPartition: origin.partition,
        originalOffset: origin.offset,
        originalTimestamp: origin.timestamp,
        consumerGroup: options.groupId,
        reason: options.reason,
        errorClass: errorClassOf(root),
        errorCode: errorCodeOf(root),
        errorMessage: clip(messageOf(root), MAX_MESSAGE),
        errorStack: stack === undefined ? undefined : clip(stack, MAX_STACK),
        attempts: options.attempts,
        firstFailureAt: delivery.firstFailureAt ?? new Date().toISOString(),
        deadLetteredAt: new Date().toISOString(),
      }),
    },
  };
}

/** The copy parked in a retry topic until `delayMs` from now. */
export function retryRecord(
  delivery: FailedRecord,
  options: { topic: string; attempts: number; delayMs: number; error: unknown },
): OutboundRecord {
  const { origin, record } = delivery;
  return {
    topic: options.topic,
    key: record.key,
    value: record.value,
    headers: {
      ...withoutDeliveryHeaders(record.headers),
      ...retryHeaders.encode({
        originalTopic: origin.topic,
        originalPartition: origin.partition,
        originalOffset: origin.offset,
        originalTimestamp: origin.timestamp,
        attempts: options.attempts,
        dueAt: new Date(Date.now() + options.delayMs).toISOString(),
        firstFailureAt: delivery.firstFailureAt ?? new Date().toISOString(),
        errorClass: errorClassOf(options.error),
        errorMessage: clip(messageOf(options.error), MAX_MESSAGE),
      }),
    },
  };
}
