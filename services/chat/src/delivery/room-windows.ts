import { applyMessageUpdate, type ChatMessage, type MessageUpdate } from '@chat/contracts';
import { partitionOf } from './partition-of.js';

/** A consumed record of a room nobody here watches: kept as it came off the wire, decoded only if asked. */
export interface HeldRecord {
  offset: number;
  /** The record value's bytes, one latin1 character per byte. */
  value: string;
}

/** What a record of the messages topic adds to its room's window. */
export type WindowEntry =
  { kind: 'message'; message: ChatMessage } | { kind: 'update'; update: MessageUpdate; changeKey: string };

/** Turns a held record into its entry; undefined when it is unreadable or adds nothing to a window. */
export type HeldDecoder = (held: HeldRecord) => WindowEntry | undefined;

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
  /** Records after every decoded entry, in offset order, not decoded yet. */
  held: HeldRecord[];
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
 *
 * Rooms with no socket here get their records held raw (`hold`): every read
 * or add of a room first decodes what it holds, in order, through the same
 * checks, so the window is the one it would have been had each been decoded
 * on arrival. Held records count against the same bound.
 */
export class RoomWindows {
  private readonly rooms = new Map<string, RoomWindow>();
  private readonly partitionStart = new Map<number, number>();
  private partitions = 1;

  constructor(
    private readonly maxPerRoom: number,
    private readonly decode: HeldDecoder,
  ) {}

  /** Where the consumer began reading each partition; rooms never seen are covered from there. */
  setPartitionStarts(starts: ReadonlyMap<number, number>, partitions: number): void {
    this.partitions = partitions;
    for (const [partition, offset] of starts) this.partitionStart.set(partition, offset);
  }

  /** The messages topic's partition count, for a reader that sets no partition starts (room feeds). */
  setPartitionCount(partitions: number): void {
    this.partitions = partitions;
  }

  /**
   * Starts the room's window afresh at `from`: every record of the room at
   * or above it will be added (a room feed subscribed before `from` was read).
   */
  open(roomId: string, from: number): void {
    this.rooms.delete(roomId);
    this.rawWindowOf(roomId).from = from;
  }

  /** Drops the room's window: nothing feeds it any more. */
  forget(roomId: string): void {
    this.rooms.delete(roomId);
  }

  get partitionCount(): number {
    return this.partitions;
  }

  partitionOfRoom(roomId: string): number {
    return partitionOf(roomId, this.partitions);
  }

  /** Keeps a record of the room undecoded, after everything the room already has. */
  hold(roomId: string, record: HeldRecord): void {
    const window = this.rawWindowOf(roomId);
    window.held.push(record);
    this.trim(window);
  }

  /** Adds a consumed message; false when it is a duplicate or older than what the room already has. */
  add(message: ChatMessage): boolean {
    return this.addMessage(this.windowOf(message.roomId), message);
  }

  /** Adds a consumed edit or delete; false when it is a copy of one already held or not above the last. */
  addUpdate(update: MessageUpdate, changeKey: string): boolean {
    return this.addChange(this.windowOf(update.roomId), update, changeKey);
  }

  view(roomId: string): WindowView {
    const window = this.existing(roomId);
    if (window) return { from: window.from, messages: window.messages, updates: window.updates };
    return { from: this.startOf(roomId), messages: [], updates: [] };
  }

  /** Whether a messageId is known in the room's window. */
  has(roomId: string, messageId: string): boolean {
    return this.existing(roomId)?.ids.has(messageId) ?? false;
  }

  /** The message as it stands now (its edits and delete applied), when the window holds it. */
  find(roomId: string, messageId: string): ChatMessage | undefined {
    const window = this.existing(roomId);
    if (!window?.ids.has(messageId)) return undefined;
    const original = window.messages.find((message) => message.messageId === messageId)!;
    return window.updates
      .filter((update) => update.messageId === messageId)
      .reduce(applyMessageUpdate, original);
  }

  private addMessage(window: RoomWindow, message: ChatMessage): boolean {
    const last = window.messages[window.messages.length - 1];
    if (window.ids.has(message.messageId)) return false;
    if (last && message.position <= last.position) return false;
    if (message.position < window.from) return false;
    window.messages.push(message);
    window.ids.add(message.messageId);
    this.trim(window);
    return true;
  }

  private addChange(window: RoomWindow, update: MessageUpdate, changeKey: string): boolean {
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

  /** Decodes what the room holds, oldest first, as if each had been added when it arrived. */
  private decodeHeld(window: RoomWindow): RoomWindow {
    if (window.held.length === 0) return window;
    const held = window.held;
    window.held = [];
    for (const record of held) {
      const entry = this.decode(record);
      if (entry?.kind === 'message') this.addMessage(window, entry.message);
      else if (entry) this.addChange(window, entry.update, entry.changeKey);
    }
    return window;
  }

  /**
   * Drops the oldest entries past the bound; the window's start moves past
   * each. Decoded entries are older than held ones, so they go first.
   */
  private trim(window: RoomWindow): void {
    while (window.messages.length + window.updates.length + window.held.length > this.maxPerRoom) {
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
      } else {
        window.from = window.held.shift()!.offset + 1;
      }
    }
  }

  private startOf(roomId: string): number {
    return this.partitionStart.get(this.partitionOfRoom(roomId)) ?? Number.MAX_SAFE_INTEGER;
  }

  private existing(roomId: string): RoomWindow | undefined {
    const window = this.rooms.get(roomId);
    return window && this.decodeHeld(window);
  }

  private windowOf(roomId: string): RoomWindow {
    return this.decodeHeld(this.rawWindowOf(roomId));
  }

  private rawWindowOf(roomId: string): RoomWindow {
    let window = this.rooms.get(roomId);
    if (!window) {
      window = {
        from: this.startOf(roomId),
        messages: [],
        ids: new Set(),
        updates: [],
        changeKeys: new Set(),
        keys: [],
        held: [],
      };
      this.rooms.set(roomId, window);
    }
    return window;
  }
}
