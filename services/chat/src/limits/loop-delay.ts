/** The smoothed lateness after a tick `delayMs` late: each tick weighs a fifth, so one pause fades within a few ticks. */
export const smoothed = (previousMs: number, delayMs: number): number => previousMs * 0.8 + delayMs * 0.2;

/** Whether a smoothed lateness of `lateMs` is a late loop; a threshold of 0 never is. */
export const isLate = (lateMs: number, thresholdMs: number): boolean =>
  thresholdMs > 0 && lateMs > thresholdMs;

/**
 * Whether this process's event loop runs late: a timer every `sampleMs`
 * measures how late it fires, smoothed over the last few ticks, so a lone
 * GC pause does not count but a saturated CPU (every tick late) or a long
 * stall does. A late loop makes every ack, Redis reply and Kafka request
 * wait behind it, so new work is better refused than taken. The timer runs
 * before the loop reads its sockets, so requests read after a stall
 * already see it.
 */
export class LoopDelay {
  private readonly timer: NodeJS.Timeout | undefined;
  private lateMs = 0;

  constructor(
    private readonly thresholdMs: number,
    sampleMs = 20,
  ) {
    if (thresholdMs <= 0) return;
    let last = performance.now();
    this.timer = setInterval(() => {
      const now = performance.now();
      this.lateMs = smoothed(this.lateMs, Math.max(0, now - last - sampleMs));
      last = now;
    }, sampleMs).unref();
  }

  get isLate(): boolean {
    return isLate(this.lateMs, this.thresholdMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
