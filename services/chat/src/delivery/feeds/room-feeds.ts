import type { Logger } from '@chat/runtime';
import type { Redis } from 'ioredis';
import type { KafkaMessage } from 'kafkajs';
import type { DeliveryRecords, RecordOutcome } from '../delivery-records.js';
import type { DeliveryLease } from '../live-delivery.js';
import type { RoomWindows } from '../room-windows.js';
import { decodeFrame, feedChannel, roomOfChannel, type FeedFrame } from './feed-frame.js';
import { FeedSequence } from './feed-sequence.js';
import type { FreshHighWatermarks } from './fresh-high-watermarks.js';

export interface RoomFeedsDeps {
  /** A connection of its own: it is in subscriber mode, and its reconnects mean frames were lost. */
  subscriber: Redis;
  highs: FreshHighWatermarks;
  windows: RoomWindows;
  records: DeliveryRecords;
  /** Names the spans of the records delivered (the owners' group). */
  groupId: string;
  messagesTopic: string;
  receiptsTopic: string;
  hasLocalSockets: (roomId: string) => boolean;
  /** The room's live stream here lost records: its sockets must leave it and resume. */
  onGap: (roomId: string) => void;
  /** A record of `topic` reached the delivery path with `outcome`. */
  onRecord: (topic: string, outcome: RecordOutcome) => void;
  logger: Logger;
  /** How often idle feeds are looked for; one is dropped after a whole period idle. @defaultValue 10000 */
  sweepMs?: number;
}

interface Feed {
  /** Settles once the feed is subscribed and its window placed. */
  ready: Promise<void>;
  /** Subscribed but the window's start not known yet: frames wait in `early`. */
  placing: boolean;
  early: FeedFrame[];
  /** Resumes working on the room right now (a catch-up in progress has no socket in the room yet). */
  leases: number;
  idleSince: number | undefined;
}

/**
 * This instance's subscriptions to the room feeds the partition owners
 * publish: one per room with a socket here (or a resume working on it),
 * dropped a while after the last one left. A feed is subscribed first and
 * its window placed at the messages topic's end read after that, so every
 * record at or above the window's start reaches it live; older ones come
 * from the recent cache and the store, as for any catch-up. Frames go
 * through the same per-record path as a consumed record.
 *
 * Redis pub/sub drops what a subscriber misses: a lost frame shows as a
 * gap in the owner's `before` chain, and a reconnect of the subscription
 * means anything may be lost; either way the room's sockets leave its live
 * stream and resume it from their last position, and the window starts over.
 */
export class RoomFeeds {
  private readonly feeds = new Map<string, Feed>();
  private readonly sequence = new FeedSequence();
  private sweeper: NodeJS.Timeout | undefined;
  private wasReady = false;

  constructor(private readonly deps: RoomFeedsDeps) {}

  get isReady(): boolean {
    return this.deps.subscriber.status === 'ready';
  }

  async start(): Promise<void> {
    const { subscriber, windows, highs } = this.deps;
    subscriber.on('smessageBuffer', (channel: Buffer, bytes: Buffer) =>
      this.receive(channel.toString(), bytes),
    );
    subscriber.on('ready', () => {
      if (this.wasReady) void this.resubscribeAll();
      this.wasReady = true;
    });
    if (subscriber.status === 'ready') this.wasReady = true;
    windows.setPartitionCount((await highs.read()).size);
    const sweepMs = this.deps.sweepMs ?? 10_000;
    this.sweeper = setInterval(() => this.sweep(), sweepMs).unref();
  }

  /** Subscribes the room's feed if this instance has none; resolves once its window is placed. */
  async open(roomId: string): Promise<DeliveryLease> {
    const feed = this.feeds.get(roomId) ?? this.subscribe(roomId);
    feed.leases += 1;
    feed.idleSince = undefined;
    try {
      await feed.ready;
    } catch (error) {
      feed.leases -= 1;
      throw error;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      feed.leases -= 1;
    };
  }

  stop(): void {
    clearInterval(this.sweeper);
  }

  private subscribe(roomId: string): Feed {
    const feed: Feed = {
      ready: Promise.resolve(),
      placing: true,
      early: [],
      leases: 0,
      idleSince: undefined,
    };
    this.feeds.set(roomId, feed);
    feed.ready = (async () => {
      await this.deps.subscriber.ssubscribe(feedChannel(roomId));
      await this.place(roomId, feed);
    })();
    feed.ready.catch((error: unknown) => {
      this.deps.logger.warn({ err: (error as Error).message, roomId }, 'room feed could not be opened');
      if (this.feeds.get(roomId) === feed) this.drop(roomId);
    });
    return feed;
  }

  /** Starts the room's window at the topic's end as read now, then takes the frames that came meanwhile. */
  private async place(roomId: string, feed: Feed): Promise<void> {
    const { windows, highs } = this.deps;
    const from = (await highs.read()).get(windows.partitionOfRoom(roomId)) ?? 0;
    if (this.feeds.get(roomId) !== feed) return;
    windows.open(roomId, from);
    this.sequence.open(roomId, from);
    feed.placing = false;
    const early = feed.early;
    feed.early = [];
    for (const frame of early) this.apply(roomId, frame);
  }

  private receive(channel: string, bytes: Buffer): void {
    const roomId = roomOfChannel(channel);
    const frame = decodeFrame(bytes);
    if (roomId === undefined || !frame) {
      this.deps.logger.warn({ channel }, 'unreadable feed frame dropped');
      return;
    }
    const feed = this.feeds.get(roomId);
    if (!feed) return;
    if (feed.placing) feed.early.push(frame);
    else this.apply(roomId, frame);
  }

  private apply(roomId: string, frame: FeedFrame): void {
    if (frame.topic === 'messages') {
      const step = this.sequence.step(roomId, frame.offset, frame.before);
      if (step === 'old') return;
      if (step === 'gap') {
        this.deps.logger.warn(
          { roomId, offset: frame.offset, before: frame.before },
          'room feed lost records',
        );
        this.restart(roomId);
        return;
      }
    }
    const topic = frame.topic === 'messages' ? this.deps.messagesTopic : this.deps.receiptsTopic;
    const outcome = this.deps.records.handle(
      { topic, kind: frame.topic, partition: frame.partition, groupId: this.deps.groupId },
      asRecord(roomId, frame),
    );
    this.deps.onRecord(topic, outcome);
  }

  /** The room's stream here has a hole: its sockets resume, and the window starts over. */
  private restart(roomId: string): void {
    const feed = this.feeds.get(roomId);
    if (!feed) return;
    this.deps.onGap(roomId);
    this.sequence.close(roomId);
    this.deps.windows.forget(roomId);
    feed.placing = true;
    feed.early = [];
    feed.ready = this.place(roomId, feed);
    feed.ready.catch(() => {
      if (this.feeds.get(roomId) === feed) this.drop(roomId);
    });
  }

  /** After a reconnect: subscribed again (before the windows are placed), and every room starts over. */
  private async resubscribeAll(): Promise<void> {
    const rooms = [...this.feeds.keys()];
    if (rooms.length === 0) return;
    this.deps.logger.warn({ rooms: rooms.length }, 'room feeds reconnected: their rooms resume');
    try {
      await this.deps.subscriber.ssubscribe(...rooms.map(feedChannel));
    } catch (error) {
      this.deps.logger.warn({ err: (error as Error).message }, 'room feeds could not subscribe again');
    }
    for (const roomId of rooms) this.restart(roomId);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [roomId, feed] of this.feeds) {
      const idle = feed.leases === 0 && !feed.placing && !this.deps.hasLocalSockets(roomId);
      if (!idle) feed.idleSince = undefined;
      else if (feed.idleSince === undefined) feed.idleSince = now;
      else this.drop(roomId);
    }
  }

  private drop(roomId: string): void {
    this.feeds.delete(roomId);
    this.sequence.close(roomId);
    this.deps.windows.forget(roomId);
    this.deps.subscriber.sunsubscribe(feedChannel(roomId)).catch(() => undefined);
  }
}

/** A frame in the shape of the consumed record it came from: the delivery path takes both alike. */
function asRecord(roomId: string, frame: FeedFrame): KafkaMessage {
  return {
    key: Buffer.from(roomId),
    value: frame.value,
    offset: String(frame.offset),
    timestamp: '0',
    attributes: 0,
    headers: frame.traceparent ? { traceparent: frame.traceparent } : {},
  };
}
