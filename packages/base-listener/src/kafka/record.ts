import { type RetryContext, retryHeaders } from '@chat/contracts';
import type { IHeaders, KafkaMessage } from 'kafkajs';

/** A consumed record, free of KafkaJS types: what middleware and the DLQ work with. */
export interface InboundRecord {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
  /** Broker timestamp, ms since the epoch. */
  timestamp: number;
}

export function fromKafkaMessage(topic: string, partition: number, message: KafkaMessage): InboundRecord {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key ?? null,
    value: message.value ?? null,
    headers: decodeHeaders(message.headers),
    timestamp: Number(message.timestamp),
  };
}

/** Kafka headers are bytes and may repeat; the platform's headers are single UTF-8 strings (last one wins). */
export function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last !== undefined) decoded[name] = last.toString('utf8');
  }
  return decoded;
}

/** Where a record first arrived, seen through any retry topics it passed. */
export interface RecordOrigin {
  topic: string;
  partition: number;
  offset: string;
  timestamp: string;
  /** Attempts made before this delivery. */
  priorAttempts: number;
  firstFailureAt?: string;
  /** When this delivery may run (retry topics only). */
  dueAt?: string;
}

/** The origin of a record seen for the first time: where it is now, no attempts before. */
export function firstDeliveryOrigin(record: InboundRecord): RecordOrigin {
  return {
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    timestamp: new Date(record.timestamp).toISOString(),
    priorAttempts: 0,
  };
}

export function originOf(record: InboundRecord): RecordOrigin {
  const retry: RetryContext | undefined = retryHeaders.decode(record.headers);
  if (!retry) return firstDeliveryOrigin(record);
  return {
    topic: retry.originalTopic,
    partition: retry.originalPartition,
    offset: retry.originalOffset,
    timestamp: retry.originalTimestamp,
    priorAttempts: retry.attempts,
    firstFailureAt: retry.firstFailureAt,
    dueAt: retry.dueAt,
  };
}
