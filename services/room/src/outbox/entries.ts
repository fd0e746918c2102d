import type { Envelope } from '@chat/contracts';
import type { OutboxEntry } from '@chat/room-store';
import { backoffDelay, type BackoffPolicy } from '@chat/backoff';

/** Outbox entries for events made by one change; `firstSeq` continues the room's sequence. */
export function newOutboxEntries(
  events: readonly Envelope[],
  firstSeq: number,
  now: Date,
  traceparent?: string,
): OutboxEntry[] {
  return events.map((event, index) => ({
    eventId: event.eventId,
    seq: firstSeq + index,
    type: event.type,
    event,
    ...(traceparent ? { traceparent } : {}),
    status: 'pending',
    attempts: 0,
    nextAttemptAt: now,
    createdAt: now,
  }));
}

const bySeq = (a: OutboxEntry, b: OutboxEntry) => a.seq - b.seq;

/**
 * The events to publish now, in order: the unsent ones from the lowest seq
 * up, stopping at the first that is waiting for its retry delay, since
 * publishing anything behind it would break the room's order. Dead events
 * are parked and skipped.
 */
export function dueRun(outbox: readonly OutboxEntry[], now: Date, limit: number): OutboxEntry[] {
  const run: OutboxEntry[] = [];
  for (const entry of [...outbox].sort(bySeq)) {
    if (run.length >= limit) break;
    if (entry.status !== 'pending') continue;
    if (entry.nextAttemptAt.getTime() > now.getTime()) break;
    run.push(entry);
  }
  return run;
}

export const unsentCount = (outbox: readonly OutboxEntry[]): number =>
  outbox.filter((entry) => entry.status === 'pending').length;

/**
 * When the room next needs the dispatcher: when its first pending event (in
 * seq order) is due, since nothing behind it may go first; null when nothing
 * is pending.
 */
export function nextDueAt(outbox: readonly OutboxEntry[]): Date | null {
  let head: OutboxEntry | undefined;
  for (const entry of outbox) {
    if (entry.status === 'pending' && (!head || entry.seq < head.seq)) head = entry;
  }
  return head?.nextAttemptAt ?? null;
}

/** What one publish attempt did: events Kafka acknowledged, or the event that failed (the head of the run). */
export interface DispatchOutcome {
  sent: readonly string[];
  failed?: { eventId: string; error: string };
}

export interface OutboxPolicy {
  maxAttempts: number;
  keepSent: number;
  backoff: BackoffPolicy;
}

/**
 * Applies an outcome to a room's outbox, however it changed since it was
 * read (new events appended by other writes are kept as they are). Sent
 * events beyond the newest `keepSent` are trimmed; a failed event waits for
 * its backoff, or is parked as dead once it has used its attempts.
 */
export function applyOutcome(
  outbox: readonly OutboxEntry[],
  outcome: DispatchOutcome,
  now: Date,
  policy: OutboxPolicy,
  random: () => number = Math.random,
): { outbox: OutboxEntry[]; dead: OutboxEntry[] } {
  const sent = new Set(outcome.sent);
  const dead: OutboxEntry[] = [];
  const updated = outbox.map((entry): OutboxEntry => {
    if (entry.status !== 'pending') return entry;
    if (sent.has(entry.eventId))
      return { ...entry, status: 'sent', attempts: entry.attempts + 1, sentAt: now };
    if (outcome.failed?.eventId !== entry.eventId) return entry;
    const attempts = entry.attempts + 1;
    if (attempts >= policy.maxAttempts) {
      const parked: OutboxEntry = { ...entry, status: 'dead', attempts, lastError: outcome.failed.error };
      dead.push(parked);
      return parked;
    }
    return {
      ...entry,
      attempts,
      lastError: outcome.failed.error,
      nextAttemptAt: new Date(now.getTime() + backoffDelay(policy.backoff, attempts, random)),
    };
  });
  const sentSeqs = updated
    .filter((entry) => entry.status === 'sent')
    .map((entry) => entry.seq)
    .sort((a, b) => b - a);
  const oldestKept = policy.keepSent > 0 ? (sentSeqs[policy.keepSent - 1] ?? -Infinity) : Infinity;
  return {
    outbox: updated.filter((entry) => entry.status !== 'sent' || entry.seq >= oldestKept).sort(bySeq),
    dead,
  };
}
