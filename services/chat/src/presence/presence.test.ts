import { describe, expect, it, vi } from 'vitest';
import { TypingExpiry } from './presence.js';

describe('typing expiry', () => {
  it('ends an unrepeated typing after the TTL, re-arms on a repeat, disarms on false', () => {
    vi.useFakeTimers();
    try {
      const ended: string[] = [];
      const expiry = new TypingExpiry(1000, (notice) => ended.push(`${notice.userId}:${notice.typing}`));
      expiry.seen({ roomId: 'r', userId: 'a', typing: true });
      expiry.seen({ roomId: 'r', userId: 'b', typing: true });
      vi.advanceTimersByTime(600);
      expiry.seen({ roomId: 'r', userId: 'a', typing: true });
      expiry.seen({ roomId: 'r', userId: 'b', typing: false });
      vi.advanceTimersByTime(600);
      expect(ended).toEqual([]);
      vi.advanceTimersByTime(400);
      expect(ended).toEqual(['a:false']);
      expect(expiry.size).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
