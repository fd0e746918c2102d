import { describe, expect, it } from 'vitest';
import type { OutboxEntry } from '@chat/room-store';
import { applyOutcome, dueRun, nextDueAt, unsentCount } from './entries.js';

const t0 = new Date('2026-01-01T00:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

function entry(seq: number, overrides: Partial<OutboxEntry> = {}): OutboxEntry {
  return {
    eventId: `e${seq}`,
    seq,
    type: 'room.renamed',
    event: {} as OutboxEntry['event'],
    status: 'pending',
    attempts: 0,
    nextAttemptAt: t0,
    createdAt: t0,
    ...overrides,
  };
}

const policy = {
  maxAttempts: 3,
  keepSent: 1,
  backoff: { initialDelayMs: 100, multiplier: 2, maxDelayMs: 1_000, jitter: 0.5 },
};
/** The random draw that takes nothing off a delay. */
const noJitter = () => 0;

describe('dueRun', () => {
  it('takes pending events in seq order, skipping sent and dead ones, up to the limit', () => {
    const outbox = [entry(3), entry(1, { status: 'sent' }), entry(2, { status: 'dead' }), entry(4), entry(5)];
    expect(dueRun(outbox, t0, 2).map((e) => e.seq)).toEqual([3, 4]);
  });

  it('stops at an event waiting for its retry: nothing may overtake it', () => {
    const outbox = [entry(1, { nextAttemptAt: at(500) }), entry(2)];
    expect(dueRun(outbox, t0, 10)).toEqual([]);
    expect(dueRun(outbox, at(500), 10).map((e) => e.seq)).toEqual([1, 2]);
  });
});

describe('nextDueAt', () => {
  it('is when the first pending event is due, or null', () => {
    expect(nextDueAt([entry(2), entry(1, { nextAttemptAt: at(300) })])).toEqual(at(300));
    expect(nextDueAt([entry(1, { status: 'sent' })])).toBeNull();
  });
});

describe('applyOutcome', () => {
  it('marks published events sent and trims all but the newest kept sent events', () => {
    const outbox = [entry(1, { status: 'sent' }), entry(2), entry(3), entry(4)];
    const { outbox: after, dead } = applyOutcome(outbox, { sent: ['e2', 'e3'] }, at(10), policy);
    expect(after.map((e) => [e.seq, e.status])).toEqual([
      [3, 'sent'],
      [4, 'pending'],
    ]);
    expect(after[0]).toMatchObject({ attempts: 1, sentAt: at(10) });
    expect(dead).toEqual([]);
    expect(unsentCount(after)).toBe(1);
  });

  it('keeps events appended since the claim, untouched', () => {
    const appended = entry(9);
    const { outbox } = applyOutcome([entry(8), appended], { sent: ['e8'] }, at(1), policy);
    expect(outbox.at(-1)).toEqual(appended);
  });

  it('delays a failed event with backoff, and parks it as dead on its last attempt', () => {
    const failed = { sent: [], failed: { eventId: 'e1', error: 'boom' } };
    const once = applyOutcome([entry(1), entry(2)], failed, t0, policy, noJitter).outbox;
    expect(once[0]).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastError: 'boom',
      nextAttemptAt: at(100),
    });
    const twice = applyOutcome(once, failed, t0, policy, noJitter).outbox;
    expect(twice[0]).toMatchObject({ attempts: 2, nextAttemptAt: at(200) });
    const { outbox, dead } = applyOutcome(twice, failed, t0, policy, noJitter);
    expect(outbox[0]).toMatchObject({ status: 'dead', attempts: 3 });
    expect(dead.map((e) => e.eventId)).toEqual(['e1']);
    expect(dueRun(outbox, t0, 10).map((e) => e.seq)).toEqual([2]);
  });
});
