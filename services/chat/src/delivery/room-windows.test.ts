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
    const windows = new RoomWindows(4);
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
