/** Whether a tick `delayMs` later than scheduled shows a late loop; a threshold of 0 never does. */
export const isLate = (delayMs: number, thresholdMs: number): boolean =>
  thresholdMs > 0 && delayMs > thresholdMs;

/**
 * Whether this process's event loop runs late: a timer every `sampleMs`
 * measures how late it fires, and one later than the threshold marks the
 * loop late for `holdMs`. A late loop is a saturated CPU: every ack, Redis
 * reply and Kafka request waits behind it, so new work is better refused
 * than taken. The timer runs before the loop reads its sockets, so the
 * first requests read after a stall already see it.
 */
export class LoopDelay {
  private readonly timer: NodeJS.Timeout | undefined;
  private lateUntil = 0;

  constructor(thresholdMs: number, { sampleMs = 20, holdMs = 250 } = {}) {
    if (thresholdMs <= 0) return;
    let last = performance.now();
    this.timer = setInterval(() => {
      const now = performance.now();
      if (isLate(now - last - sampleMs, thresholdMs)) this.lateUntil = now + holdMs;
      last = now;
    }, sampleMs).unref();
  }

  get isLate(): boolean {
    return performance.now() < this.lateUntil;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
