import { describe, expect, it } from 'vitest';
import { dayLabel, startsDay } from './days.js';

describe('day separators', () => {
  const now = new Date(2026, 5, 10, 12, 0);
  const at = (day: number, hour: number) => new Date(2026, 5, day, hour, 30).toISOString();

  it('go before the first message and wherever the local day changes', () => {
    expect(startsDay(undefined, at(10, 9))).toBe(true);
    expect(startsDay(at(10, 9), at(10, 23))).toBe(false);
    expect(startsDay(at(9, 23), at(10, 0))).toBe(true);
  });

  it('say today, yesterday, or the date', () => {
    expect(dayLabel(at(10, 8), now)).toBe('Today');
    expect(dayLabel(at(9, 8), now)).toBe('Yesterday');
    expect(dayLabel(at(1, 8), now)).not.toMatch(/Today|Yesterday/);
    expect(dayLabel(new Date(2025, 0, 2).toISOString(), now)).toMatch(/2025/);
  });
});
