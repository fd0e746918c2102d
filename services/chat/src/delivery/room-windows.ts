import type { ChatMessage } from '@chat/contracts';
import { partitionOf } from './partition-of.js';

interface RoomWindow {
  /** The window holds every message of the room with a position at or above this one. */
  from: number;
  messages: ChatMessage[];
  ids: Set<string>;
}

export interface WindowView {
  /** Every message of the room at or above `from` is in `messages` (or not consumed yet, so it will come live). */
  from: number;
  messages: readonly ChatMessage[];
}

/**
 * The instance's memory of recent messages, per room: everything since the
 * delivery consumer's start (its warm-up window), bounded per room. Decides
 * what is new (a later copy of a messageId, or a position not above the
 * last, is not), which is what keeps a re-published message from becoming a
 * second bubble.
 */
export class RoomWindows {
  private readonly rooms = new Map<string, RoomWindow>();
  private readonly partitionStart = new Map<number, number>();
  private partitions = 1;

  constructor(private readonly maxPerRoom: number) {}

  /** Where the consumer began reading each partition; rooms never seen are covered from there. */
  setPartitionStarts(starts: ReadonlyMap<number, number>, partitions: number): void {
    this.partitions = partitions;
    for (const [partition, offset] of starts) this.partitionStart.set(partition, offset);
  }

  get partitionCount(): number {
    return this.partitions;
  }

  partitionOfRoom(roomId: string): number {
    return partitionOf(roomId, this.partitions);
  }

  /** Adds a consumed message; false when it is a duplicate or older than what the room already has. */
  add(message: ChatMessage): boolean {
    const window = this.windowOf(message.roomId);
    const last = window.messages[window.messages.length - 1];
    if (window.ids.has(message.messageId)) return false;
    if (last && message.position <= last.position) return false;
    if (message.position < window.from) return false;
    window.messages.push(message);
    window.ids.add(message.messageId);
    while (window.messages.length > this.maxPerRoom) {
      const dropped = window.messages.shift()!;
      window.ids.delete(dropped.messageId);
      window.from = dropped.position + 1;
    }
    return true;
  }

  view(roomId: string): WindowView {
    const window = this.rooms.get(roomId);
    if (window) return { from: window.from, messages: window.messages };
    return { from: this.startOf(roomId), messages: [] };
  }

  /** Whether a messageId is known in the room's window. */
  has(roomId: string, messageId: string): boolean {
    return this.rooms.get(roomId)?.ids.has(messageId) ?? false;
  }

  private startOf(roomId: string): number {
    return this.partitionStart.get(this.partitionOfRoom(roomId)) ?? Number.MAX_SAFE_INTEGER;
  }

  private windowOf(roomId: string): RoomWindow {
    let window = this.rooms.get(roomId);
    if (!window) {
      window = { from: this.startOf(roomId), messages: [], ids: new Set() };
      this.rooms.set(roomId, window);
    }
    return window;
  }
}
