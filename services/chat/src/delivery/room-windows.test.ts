import { chatMessage as msg } from '@chat/testkit/events';
import { describe, expect, it } from 'vitest';
import { partitionOf } from './partition-of.js';
import { RoomWindows, type HeldDecoder, type HeldRecord, type WindowEntry } from './room-windows.js';

/** Held records in these tests carry their entry as JSON; the decoder counts its calls. */
const heldOf = (offset: number, entry: WindowEntry): HeldRecord => ({
  offset,
  value: JSON.stringify(entry),
});
function countingDecoder(): HeldDecoder & { calls: number } {
  const decode = (({ value }: HeldRecord) => {
    decode.calls += 1;
    return JSON.parse(value) as WindowEntry;
  }) as HeldDecoder & { calls: number };
  decode.calls = 0;
  return decode;
}
const noHeld: HeldDecoder = () => undefined;

describe('room windows', () => {
  it('drops duplicates by messageId and stale positions, and trims with a moving start', () => {
    const windows = new RoomWindows(3, noHeld);
    windows.setPartitionStarts(new Map([[partitionOf('r', 1), 10]]), 1);
    expect(windows.view('r').from).toBe(10);
    expect(windows.add(msg(9))).toBe(false);
    expect(windows.add(msg(10))).toBe(true);
    expect(windows.add(msg(12, 'r', 'm10'))).toBe(false);
    expect(windows.add(msg(11))).toBe(true);
    expect(windows.add(msg(11))).toBe(false);
    windows.add(msg(13));
    windows.add(msg(15));
    expect(windows.view('r').from).toBe(11);
    expect(windows.view('r').messages.map((m) => m.position)).toEqual([11, 13, 15]);
  });
});

describe('room windows with edits and deletes', () => {
  const update = (position: number, messageId: string, change: 'edited' | 'deleted' = 'edited') => ({
    roomId: 'r',
    messageId,
    position,
    change,
    ...(change === 'edited' ? { text: `text at ${position}` } : {}),
    at: new Date(0).toISOString(),
  });

  it('keeps updates once by change key, finds a message as it stands, and trims both in order', () => {
    const windows = new RoomWindows(4, noHeld);
    windows.setPartitionStarts(new Map([[partitionOf('r', 1), 0]]), 1);
    windows.add(msg(1));
    expect(windows.addUpdate(update(2, 'm1'), 'k2')).toBe(true);
    expect(windows.addUpdate(update(3, 'm1'), 'k2')).toBe(false);
    expect(windows.find('r', 'm1')?.text).toBe('text at 2');
    expect(windows.addUpdate(update(3, 'm1', 'deleted'), 'k3')).toBe(true);
    expect(windows.find('r', 'm1')).toMatchObject({ deleted: true, text: '' });
    windows.add(msg(4));
    windows.add(msg(5));
    expect(windows.view('r').from).toBe(2);
    expect(windows.find('r', 'm1')).toBeUndefined();
    expect(windows.view('r').updates.map((u) => u.position)).toEqual([2, 3]);
  });
});

describe('room windows holding raw records of rooms nobody here watches', () => {
  const edit = (position: number, messageId: string): WindowEntry => ({
    kind: 'update',
    update: {
      roomId: 'r',
      messageId,
      position,
      change: 'edited',
      text: `text at ${position}`,
      at: new Date(0).toISOString(),
    },
    changeKey: `k${position}`,
  });
  const sent = (position: number, messageId = `m${position}`): WindowEntry => ({
    kind: 'message',
    message: msg(position, 'r', messageId),
  });

  it('decodes nothing until the room is read, then all of it in order, through the same duplicate checks', () => {
    const decode = countingDecoder();
    const windows = new RoomWindows(10, decode);
    windows.setPartitionStarts(new Map([[partitionOf('r', 1), 5]]), 1);
    windows.hold('r', heldOf(5, sent(5)));
    windows.hold('r', heldOf(6, sent(6, 'm5')));
    windows.hold('r', heldOf(7, edit(7, 'm5')));
    windows.hold('r', heldOf(8, sent(8)));
    expect(decode.calls).toBe(0);
    expect(windows.view('r')).toMatchObject({ from: 5 });
    expect(decode.calls).toBe(4);
    expect(windows.view('r').messages.map((m) => m.position)).toEqual([5, 8]);
    expect(windows.find('r', 'm5')?.text).toBe('text at 7');
    expect(decode.calls).toBe(4);
  });

  it('answers has and find from held records, and a live add lands after them', () => {
    const windows = new RoomWindows(10, countingDecoder());
    windows.setPartitionStarts(new Map([[partitionOf('r', 1), 0]]), 1);
    windows.hold('r', heldOf(1, sent(1)));
    expect(windows.has('r', 'm1')).toBe(true);
    windows.hold('r', heldOf(2, sent(2)));
    expect(windows.add(msg(2))).toBe(false);
    expect(windows.add(msg(3))).toBe(true);
    expect(windows.view('r').messages.map((m) => m.position)).toEqual([1, 2, 3]);
  });

  it('counts held records against the bound: decoded entries go first, then held ones, and the start moves past each', () => {
    const decode = countingDecoder();
    const windows = new RoomWindows(3, decode);
    windows.setPartitionStarts(new Map([[partitionOf('r', 1), 0]]), 1);
    windows.add(msg(1));
    windows.add(msg(2));
    windows.hold('r', heldOf(3, sent(3)));
    windows.hold('r', heldOf(4, sent(4)));
    windows.hold('r', heldOf(5, sent(5)));
    windows.hold('r', heldOf(6, sent(6)));
    windows.hold('r', heldOf(9, sent(9)));
    expect(decode.calls).toBe(0);
    const view = windows.view('r');
    expect(view.from).toBe(5);
    expect(view.messages.map((m) => m.position)).toEqual([5, 6, 9]);
    expect(decode.calls).toBe(3);
  });

  it('skips a held record its decoder cannot read, and a room never seen still starts at its partition start', () => {
    const windows = new RoomWindows(5, (held) => (held.offset === 2 ? undefined : sent(held.offset)));
    windows.setPartitionStarts(new Map([[partitionOf('r', 1), 1]]), 1);
    expect(windows.view('other').from).toBe(1);
    windows.hold('r', heldOf(1, sent(1)));
    windows.hold('r', heldOf(2, sent(2)));
    windows.hold('r', heldOf(3, sent(3)));
    expect(windows.view('r')).toMatchObject({ from: 1 });
    expect(windows.view('r').messages.map((m) => m.position)).toEqual([1, 3]);
  });
});

describe('room windows fed per room', () => {
  it('opens a room at a position, drops what is below it, and forgets it', () => {
    const windows = new RoomWindows(10, noHeld);
    windows.setPartitionCount(4);
    windows.add(msg(3));
    windows.open('r', 7);
    expect(windows.view('r')).toEqual({ from: 7, messages: [], updates: [] });
    expect(windows.add(msg(6, 'r', 'm6'))).toBe(false);
    expect(windows.add(msg(7, 'r', 'm7'))).toBe(true);
    expect(windows.partitionOfRoom('r')).toBe(partitionOf('r', 4));
    windows.forget('r');
    expect(windows.has('r', 'm7')).toBe(false);
  });
});
