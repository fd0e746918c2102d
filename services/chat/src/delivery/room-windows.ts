import { applyMessageUpdate, type ChatMessage, type MessageUpdate } from '@chat/contracts';
import { partitionOf } from './partition-of.js';

interface RoomWindow {
  /** The window holds every message and update of the room with a position at or above this one. */
  from: number;
  messages: ChatMessage[];
  ids: Set<string>;
  /** Edits and deletes, in position order. */
  updates: MessageUpdate[];
  /** Idempotency keys of the updates held: a re-published copy of a change is not a second change. */
  changeKeys: Set<string>;
  /** The key of each update, in the same order. */
  keys: string[];
}

export interface WindowView {
  /** Every message and update of the room at or above `from` is here (or not consumed yet, so it will come live). */
  from: number;
  messages: readonly ChatMessage[];
  updates: readonly MessageUpdate[];
}

/**
 * The instance's memory of recent messages and their edits and deletes, per
 * room: everything since the delivery consumer's start (its warm-up window),
 * bounded per room. Decides what is new (a later copy of a messageId or of
 * a change, or a position not above the last, is not), which is what keeps
 * a re-published message from becoming a second bubble.
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
    this.trim(window);
    return true;
  }

  /** Adds a consumed edit or delete; false when it is a copy of one already held or not above the last. */
  addUpdate(update: MessageUpdate, changeKey: string): boolean {
    const window = this.windowOf(update.roomId);
    const last = window.updates[window.updates.length - 1];
    if (window.changeKeys.has(changeKey)) return false;
    if (last && update.position <= last.position) return false;
    if (update.position < window.from) return false;
    window.updates.push(update);
    window.changeKeys.add(changeKey);
    window.keys.push(changeKey);
    this.trim(window);
    return true;
  }

  view(roomId: string): WindowView {
    const window = this.rooms.get(roomId);
    if (window) return { from: window.from, messages: window.messages, updates: window.updates };
    return { from: this.startOf(roomId), messages: [], updates: [] };
  }

  /** Whether a messageId is known in the room's window. */
  has(roomId: string, messageId: string): boolean {
    return this.rooms.get(roomId)?.ids.has(messageId) ?? false;
  }

  /** The message as it stands now (its edits and delete applied), when the window holds it. */
  find(roomId: string, messageId: string): ChatMessage | undefined {
    const window = this.rooms.get(roomId);
    if (!window?.ids.has(messageId)) return undefined;
    const original = window.messages.find((message) => message.messageId === messageId)!;
    return window.updates
      .filter((update) => update.messageId === messageId)
      .reduce(applyMessageUpdate, original);
  }

  /** Drops the oldest entries past the bound; the window's start moves past each. */
  private trim(window: RoomWindow): void {
    while (window.messages.length + window.updates.length > this.maxPerRoom) {
      const message = window.messages[0];
      const update = window.updates[0];
      if (message && (!update || message.position < update.position)) {
        window.messages.shift();
        window.ids.delete(message.messageId);
        window.from = message.position + 1;
      } else if (update) {
        window.updates.shift();
        window.changeKeys.delete(window.keys.shift()!);
        window.from = update.position + 1;
      }
    }
  }

  private startOf(roomId: string): number {
    return this.partitionStart.get(this.partitionOfRoom(roomId)) ?? Number.MAX_SAFE_INTEGER;
  }

  private windowOf(roomId: string): RoomWindow {
    let window = this.rooms.get(roomId);
    if (!window) {
      window = {
        from: this.startOf(roomId),
        messages: [],
        ids: new Set(),
        updates: [],
        changeKeys: new Set(),
        keys: [],
      };
      this.rooms.set(roomId, window);
    }
    return window;
  }
}
