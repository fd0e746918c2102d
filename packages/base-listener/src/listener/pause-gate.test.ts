import { afterEach, describe, expect, it, vi } from 'vitest';
import { PauseGate } from './pause-gate.js';

function recorder() {
  const calls: string[] = [];
  const format = (tps: { topic: string; partitions?: number[] }[]) =>
    tps.map(({ topic, partitions }) => (partitions ? `${topic}[${partitions.join(',')}]` : topic)).join(' ');
  return {
    calls,
    control: {
      pause: (tps: { topic: string; partitions?: number[] }[]) => calls.push(`pause ${format(tps)}`),
      resume: (tps: { topic: string; partitions?: number[] }[]) => calls.push(`resume ${format(tps)}`),
    },
  };
}

afterEach(() => vi.useRealTimers());

describe('PauseGate', () => {
  it('holds and releases every topic once, reporting the change', () => {
    const { calls, control } = recorder();
    const changes: boolean[] = [];
    const gate = new PauseGate(control, ['a', 'b'], (held) => changes.push(held));
    gate.holdAll();
    gate.holdAll();
    expect(gate.isHeld('a', 3)).toBe(true);
    gate.releaseAll();
    expect(calls).toEqual(['pause a b', 'resume a b']);
    expect(changes).toEqual([true, false]);
  });

  it('resumes a waiting partition when its record falls due', () => {
    vi.useFakeTimers();
    const { calls, control } = recorder();
    const gate = new PauseGate(control, ['r'], () => undefined);
    gate.holdUntil('r', 2, Date.now() + 1000);
    expect(gate.isHeld('r', 2)).toBe(true);
    vi.advanceTimersByTime(1000);
    expect(gate.isHeld('r', 2)).toBe(false);
    expect(calls).toEqual(['pause r[2]', 'resume r[2]']);
  });

  it('keeps a partition waiting when the breaker releases, and keeps everything held when a wait ends', () => {
    vi.useFakeTimers();
    const { calls, control } = recorder();
    const gate = new PauseGate(control, ['s', 'r'], () => undefined);
    gate.holdUntil('r', 0, Date.now() + 5000);
    gate.holdAll();
    gate.releaseAll();
    expect(calls).toEqual(['pause r[0]', 'pause s r', 'resume s r', 'pause r[0]']);

    gate.holdAll();
    vi.advanceTimersByTime(5000);
    expect(calls.at(-1)).toBe('pause s r');
    expect(gate.isHeld('s', 0)).toBe(true);
    gate.clear();
  });
});
