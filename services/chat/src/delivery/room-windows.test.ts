import { chatMessage as msg } from '@chat/testkit/events';
import { describe, expect, it } from 'vitest';
import { partitionOf } from './partition-of.js';
import { RoomWindows } from './room-windows.js';

describe('room windows', () => {
  it('drops duplicates by messageId and stale positions, and trims with a moving start', () => {
    const windows = new RoomWindows(3);
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
