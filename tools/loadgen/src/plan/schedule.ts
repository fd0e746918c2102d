/**
 * The open-model schedule: message i is due at i / rate seconds after the
 * start, whether or not earlier sends were acknowledged. Latencies are
 * measured from the due time, so a late sender shows up in them instead of
 * hiding (coordinated omission).
 */
export interface Schedule {
  total: number;
  /** Milliseconds after the start at which message `index` is due. */
  dueAt(index: number): number;
  /** How many messages are due by `elapsedMs`. */
  dueBy(elapsedMs: number): number;
}

export function openSchedule(ratePerSecond: number, durationMs: number): Schedule {
  const total = Math.floor((ratePerSecond * durationMs) / 1000);
  const interval = 1000 / ratePerSecond;
  return {
    total,
    dueAt: (index) => index * interval,
    dueBy: (elapsedMs) => (elapsedMs < 0 ? 0 : Math.min(total, Math.floor(elapsedMs / interval) + 1)),
  };
}
