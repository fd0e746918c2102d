import type { Logger } from '@chat/runtime';
import type { Redis } from 'ioredis';
import type { Admin } from 'kafkajs';
import type { EventDecoder } from '../../decoding/published-events.js';
import { DeliveryRecords, type DeliverySink, type RecordOutcome } from '../delivery-records.js';
import type { DeliveryLease, LiveDelivery } from '../live-delivery.js';
import type { RoomWindows } from '../room-windows.js';
import { FreshHighWatermarks } from './fresh-high-watermarks.js';
import { PartitionOwner } from './partition-owner.js';
import { RoomFeeds } from './room-feeds.js';

export interface RoomFeedDeliveryOptions {
  brokers: string[];
  ownersGroup: string;
  messagesTopic: string;
  receiptsTopic: string;
  /** Publishes the feeds of the partitions this instance owns. */
  redis: Redis;
  /** This instance's subscriptions to the feeds of its sockets' rooms (a connection of its own). */
  subscriber: Redis;
  /** Connected before `start`. */
  admin: Admin;
  hasLocalSockets: (roomId: string) => boolean;
  decode: EventDecoder;
  logger: Logger;
  onDead: (reason: string) => void;
  onGap: (roomId: string) => void;
  onPublished: (topic: string, count: number) => void;
  onRecord: (topic: string, outcome: RecordOutcome) => void;
}

/**
 * `room-feeds` delivery: this instance is one of the partition owners
 * (`PartitionOwner`, publishing what it reads) and a subscriber to the feeds
 * of its own sockets' rooms (`RoomFeeds`). Each record is fetched and read
 * once platform-wide, and an instance's work follows its own members.
 */
export class RoomFeedDelivery implements LiveDelivery {
  private readonly owner: PartitionOwner;
  private readonly feeds: RoomFeeds;

  constructor(options: RoomFeedDeliveryOptions, windows: RoomWindows, sink: DeliverySink) {
    const { logger } = options;
    this.owner = new PartitionOwner({
      brokers: options.brokers,
      groupId: options.ownersGroup,
      messagesTopic: options.messagesTopic,
      receiptsTopic: options.receiptsTopic,
      redis: options.redis,
      logger,
      onDead: options.onDead,
      onPublished: options.onPublished,
    });
    this.feeds = new RoomFeeds({
      subscriber: options.subscriber,
      highs: new FreshHighWatermarks(options.admin, options.messagesTopic),
      windows,
      records: new DeliveryRecords({
        windows,
        sink,
        hasLocalSockets: options.hasLocalSockets,
        decode: options.decode,
        logger,
      }),
      groupId: options.ownersGroup,
      messagesTopic: options.messagesTopic,
      receiptsTopic: options.receiptsTopic,
      hasLocalSockets: options.hasLocalSockets,
      onGap: options.onGap,
      onRecord: options.onRecord,
      logger,
    });
  }

  get isConnected(): boolean {
    return this.owner.isConnected && this.feeds.isReady;
  }

  /** Nothing to read before serving: a room's window starts when its feed is opened. */
  get warmedUp(): boolean {
    return this.owner.isConnected;
  }

  lag(): number {
    return this.owner.lag();
  }

  open(roomId: string): Promise<DeliveryLease> {
    return this.feeds.open(roomId);
  }

  async start(): Promise<void> {
    await this.feeds.start();
    await this.owner.start();
  }

  async stop(): Promise<void> {
    this.feeds.stop();
    await this.owner.stop();
  }
}
