import type { DeliveryTopic } from '../decode-record.js';

/**
 * One consumed record as a partition owner publishes it to its room's feed:
 * where it sits (partition, offset), the offset of the room's previous
 * record in that partition as this owner saw it (`before`, -1 when it
 * cannot say: the first record of a room since it took the partition), the
 * trace context, and the record's value untouched.
 */
export interface FeedFrame {
  topic: DeliveryTopic;
  partition: number;
  offset: number;
  before: number;
  traceparent?: string;
  value: Buffer;
}

interface FrameHeader {
  k: 'm' | 'r';
  p: number;
  o: number;
  b: number;
  t?: string;
}

const NEWLINE = 0x0a;

/** A JSON header line, then the value's bytes: the value is never parsed or copied into a string on the way. */
export function encodeFrame(frame: FeedFrame): Buffer {
  const header: FrameHeader = {
    k: frame.topic === 'messages' ? 'm' : 'r',
    p: frame.partition,
    o: frame.offset,
    b: frame.before,
    ...(frame.traceparent ? { t: frame.traceparent } : {}),
  };
  return Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), frame.value]);
}

/** The frame, or undefined for bytes no owner wrote (they are dropped, never guessed at). */
export function decodeFrame(bytes: Buffer): FeedFrame | undefined {
  const end = bytes.indexOf(NEWLINE);
  if (end < 0) return undefined;
  let header: Partial<FrameHeader>;
  try {
    header = JSON.parse(bytes.subarray(0, end).toString()) as Partial<FrameHeader>;
  } catch {
    return undefined;
  }
  const { k, p, o, b, t } = header;
  if ((k !== 'm' && k !== 'r') || !isOffset(p) || !isOffset(o) || !Number.isInteger(b)) return undefined;
  return {
    topic: k === 'm' ? 'messages' : 'receipts',
    partition: p,
    offset: o,
    before: b!,
    ...(typeof t === 'string' ? { traceparent: t } : {}),
    value: bytes.subarray(end + 1),
  };
}

const isOffset = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;

/** The room's feed: a sharded Redis channel, its hash tag the room so a cluster routes it by room. */
export const feedChannel = (roomId: string): string => `chat:feed:{${roomId}}`;

/** The room a feed channel carries; undefined for any other channel. */
export function roomOfChannel(channel: string): string | undefined {
  const match = /^chat:feed:\{(.+)\}$/.exec(channel);
  return match?.[1];
}
