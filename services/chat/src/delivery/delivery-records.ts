import type { ChatMessage, MessageUpdate, ReceiptNotice } from '@chat/contracts';
import type { Logger } from '@chat/runtime';
import type { KafkaMessage } from 'kafkajs';
import type { EventDecoder } from '../decoding/published-events.js';
import { decodeRecord, type DeliveryTopic } from './decode-record.js';
import { tracedDelivery } from './delivery-span.js';
import type { RoomWindows } from './room-windows.js';

export interface DeliverySink {
  message(message: ChatMessage): void;
  update(update: MessageUpdate): void;
  receipt(notice: ReceiptNotice): void;
}

/** What this instance did with a consumed record. */
export type RecordOutcome = 'decoded' | 'held' | 'skipped';

export const RECORD_OUTCOMES: readonly RecordOutcome[] = ['decoded', 'held', 'skipped'];

export interface RecordSource {
  topic: string;
  kind: DeliveryTopic;
  partition: number;
  groupId: string;
}

const EMPTY = Buffer.alloc(0);

/**
 * One consumed record's way through this instance, decided by its key (the
 * room, as the contracts key every room event) before any parse: a room
 * with a socket here is decoded and delivered as it comes; a room without
 * one has its messages-topic records held raw in its window (catch-up,
 * receipts and edits may still ask for them) and its receipts dropped
 * (they are only ever shown live). A record without a key is decoded.
 */
export class DeliveryRecords {
  constructor(
    private readonly deps: {
      windows: RoomWindows;
      sink: DeliverySink;
      /** Whether a socket of this instance is in the room's live stream. */
      hasLocalSockets: (roomId: string) => boolean;
      decode: EventDecoder;
      logger: Logger;
    },
  ) {}

  handle(source: RecordSource, record: KafkaMessage): RecordOutcome {
    const roomId = record.key?.toString();
    if (roomId !== undefined && !this.deps.hasLocalSockets(roomId)) {
      if (source.kind === 'receipts') return 'skipped';
      this.deps.windows.hold(roomId, {
        offset: Number(record.offset),
        value: heldValue(record.value ?? EMPTY),
      });
      return 'held';
    }
    this.decode(source, record);
    return 'decoded';
  }

  private decode(source: RecordSource, record: KafkaMessage): void {
    const { windows, sink } = this.deps;
    try {
      tracedDelivery(source, record, () => {
        const { event, entry } = decodeRecord(
          record.value ?? EMPTY,
          record.offset,
          source.kind,
          this.deps.decode,
        );
        if (entry?.kind === 'message') {
          if (windows.add(entry.message)) sink.message(entry.message);
        } else if (entry?.kind === 'update') {
          if (windows.addUpdate(entry.update, entry.changeKey)) sink.update(entry.update);
        } else if (entry) sink.receipt(entry.notice);
        return event;
      });
    } catch (error) {
      this.deps.logger.warn(
        { err: (error as Error).message, topic: source.topic, offset: record.offset },
        'unreadable record skipped by delivery',
      );
    }
  }
}

/**
 * KafkaJS's record values are views into the whole fetch response, so a
 * held one is copied out. As a latin1 string (byte for byte, a V8 one-byte
 * string): measured, about a quarter smaller and half the cost of a Buffer
 * of its own, and no off-heap backing store per record for the GC to track.
 */
function heldValue(value: Buffer): string {
  return value.toString('latin1');
}
