import type { IHeaders, KafkaMessage } from 'kafkajs';

/** A record as a test writes it: the bytes, not an event (tests also write malformed ones). */
export interface RawRecord {
  key: string;
  value: Buffer | string;
  headers?: Record<string, string>;
  partition?: number;
}

/** A record as a separate reader finds it on the broker. */
export interface ReadRecord {
  partition: number;
  offset: string;
  key: string | undefined;
  value: Buffer | null;
  headers: Record<string, string>;
}

function headerText(headers: IHeaders | undefined): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last !== undefined) decoded[name] = last.toString();
  }
  return decoded;
}

export function readRecord(partition: number, message: KafkaMessage): ReadRecord {
  return {
    partition,
    offset: message.offset,
    key: message.key?.toString(),
    value: message.value,
    headers: headerText(message.headers),
  };
}

export const byPosition = (a: ReadRecord, b: ReadRecord): number =>
  a.partition - b.partition || Number(a.offset) - Number(b.offset);
